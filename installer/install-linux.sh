#!/bin/sh
# Install GNBV Desktop for the current user from the unpacked tarball (no root needed):
# the program stays in this folder; a menu entry and icon are added to ~/.local/share.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
mkdir -p "$apps" "$icons"
cp "$here/gnbv-desktop.png" "$icons/gnbv-desktop.png"
sed "s|^Exec=.*|Exec=\"$here/gnbv-desktop\" --open %f|" "$here/gnbv-desktop.desktop" > "$apps/gnbv-desktop.desktop"
echo "Đã thêm GNBV Desktop vào trình đơn ứng dụng. Dữ liệu nằm ở ~/.local/share/GNBV Desktop/."
