"""An operating-system file error in Vietnamese (the system's own text may be English)."""

from __future__ import annotations

import errno

_MESSAGES = {
    errno.ENOENT: "không tìm thấy tệp hoặc thư mục",
    errno.EISDIR: "đây là một thư mục, không phải tệp",
    errno.ENOTDIR: "đường dẫn không phải thư mục",
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không được phép thao tác",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.EEXIST: "tệp đã tồn tại",
    errno.ENAMETOOLONG: "tên tệp quá dài",
}


def describe_os_error(exc: OSError) -> str:
    """``exc`` as a short Vietnamese phrase, falling back to the system's text for rare errors."""
    return _MESSAGES.get(exc.errno, exc.strerror or str(exc))
