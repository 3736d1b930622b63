#!/bin/sh
# Install GNBV Desktop for the current user from the unpacked tarball (no root needed): the program
# stays in this folder; a menu entry, its icon and the .gnbv/.gnbvref file types are added under
# ~/.local/share. The data folder (~/.local/share/GNBV Desktop) is not touched.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
share="${XDG_DATA_HOME:-$HOME/.local/share}"
mkdir -p "$share/applications" "$share/icons/hicolor/256x256/apps" "$share/mime/packages"
cp "$here/gnbv-desktop.png" "$share/icons/hicolor/256x256/apps/gnbv-desktop.png"
cp "$here/gnbv-desktop-mime.xml" "$share/mime/packages/gnbv-desktop.xml"
sed "s|^Exec=gnbv-desktop|Exec=\"$here/gnbv-desktop\"|" "$here/gnbv-desktop.desktop" > "$share/applications/gnbv-desktop.desktop"
command -v update-mime-database >/dev/null && update-mime-database "$share/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$share/applications" || true
echo "Đã thêm GNBV Desktop vào trình đơn ứng dụng."
