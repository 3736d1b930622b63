"""Cài đặt → Tài khoản: who may use the data file and what they may do.

Without accounts anyone who opens the file works as before; the first account created is a
quản trị and from the next start on everyone signs in. Only a quản trị adds accounts, changes a
role or resets a password (the store refuses otherwise; the buttons say so first).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.text import format_date_time
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.store.accounts import (
    ADMIN,
    ROLES,
    Account,
    AccountError,
    create_account,
    get_account,
    has_accounts,
    list_accounts,
    reset_password,
    set_role,
)
from gnbv_desktop.store.audit import SOURCE_GUI, current_role, current_user, start_session

COLUMNS = ["Tên đăng nhập", "Họ tên", "Vai trò", "Bị khóa đến"]


class AccountsTab(QWidget):
    title = "Tài khoản"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.accounts: list[Account] = []
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self.username = QLineEdit()
        self.full_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.role = QComboBox()
        for code, label in ROLES.items():
            self.role.addItem(label, code)
        self.add_button = QPushButton("Tạo tài khoản")
        self.add_button.clicked.connect(self.add_account)
        form_box = QGroupBox("Tài khoản mới / mật khẩu mới")
        form = QFormLayout(form_box)
        form.addRow("Tên đăng nhập:", self.username)
        form.addRow("Họ tên:", self.full_name)
        form.addRow("Vai trò:", self.role)
        form.addRow("Mật khẩu:", self.password)
        form.addRow("Nhập lại mật khẩu:", self.password_again)

        self.role_button = QPushButton("Đổi vai trò của tài khoản đã chọn")
        self.role_button.clicked.connect(self.change_role)
        self.password_button = QPushButton("Đặt lại mật khẩu của tài khoản đã chọn")
        self.password_button.clicked.connect(self.change_password)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.role_button, self.password_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(form_box)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.reload()

    def _me(self) -> Account | None:
        if current_role(self.ctx.db) != ADMIN:
            return None
        return get_account(self.ctx.db, current_user(self.ctx.db))

    def reload(self) -> None:
        db = self.ctx.db
        self.accounts = list_accounts(db)
        self.table.setRowCount(len(self.accounts))
        for row, a in enumerate(self.accounts):
            until = format_date_time(a.locked_until)
            for col, text in enumerate([a.username, a.full_name, a.role_label, until]):
                self.table.setItem(row, col, QTableWidgetItem(text))
        first = not has_accounts(db)
        admin = first or self._me() is not None
        if first:
            self.intro.setText("Chưa dùng tài khoản: ai mở được tệp dữ liệu cũng sửa được. Nên tạo tài khoản quản trị "
                               "(khuyến nghị): từ lần mở sau, mọi người đăng nhập và lịch sử thay đổi ghi tên người sửa.")
        elif admin:
            self.intro.setText("Quản trị: thêm tài khoản, đổi vai trò, đặt lại mật khẩu (cũng mở khóa tài khoản). "
                               "Nhập liệu: sửa dữ liệu, nhập tệp. Chỉ xem: không thay đổi được dữ liệu.")
        else:
            self.intro.setText("Chỉ tài khoản quản trị mới thêm tài khoản, đổi vai trò hay đặt lại mật khẩu.")
        self.role.setEnabled(not first)
        if first:
            self.role.setCurrentIndex(self.role.findData(ADMIN))
        for w in (self.add_button, self.role_button, self.password_button):
            w.setEnabled(admin)
        self.role_button.setEnabled(admin and not first)
        self.password_button.setEnabled(admin and not first)

    def _password(self) -> str | None:
        if self.password.text() != self.password_again.text():
            QMessageBox.warning(self, "Chưa lưu được", "Hai lần nhập mật khẩu không khớp.")
            return None
        return self.password.text()

    def _selected(self) -> Account | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, "Tài khoản", "Hãy chọn một tài khoản trong danh sách.")
            return None
        return self.accounts[rows[0].row()]

    def _done(self, text: str) -> None:
        for field in (self.username, self.full_name, self.password, self.password_again):
            field.clear()
        self.reload()
        self.message.setText(text)

    def add_account(self) -> None:
        password = self._password()
        if password is None:
            return
        db = self.ctx.db
        first = not has_accounts(db)
        try:
            account = create_account(db, self._me(), self.username.text(), self.role.currentData(), password,
                                     self.full_name.text())
        except AccountError as exc:
            QMessageBox.warning(self, "Chưa tạo được tài khoản", str(exc))
            return
        if first:  # whoever set up accounts is that quản trị for the rest of this session
            start_session(db, SOURCE_GUI, account.username, account.role)
        self._done(f"Đã tạo tài khoản {account.username} ({account.role_label}).")

    def change_role(self) -> None:
        target = self._selected()
        if target is None:
            return
        try:
            account = set_role(self.ctx.db, self._me(), target.username, self.role.currentData())
        except AccountError as exc:
            QMessageBox.warning(self, "Chưa đổi được vai trò", str(exc))
            return
        self._done(f"Tài khoản {account.username} nay có vai trò {account.role_label}.")

    def change_password(self) -> None:
        target = self._selected()
        password = self._password() if target else None
        if password is None:
            return
        try:
            reset_password(self.ctx.db, self._me(), target.username, password)
        except AccountError as exc:
            QMessageBox.warning(self, "Chưa đặt lại được mật khẩu", str(exc))
            return
        self._done(f"Đã đặt lại mật khẩu cho {target.username}.")
