"""The household editor: general info, members, and the assessment of the selected year.

The classification is recomputed on every keystroke and check box so the official sees the
result and its reason before saving; messages appear next to the field they concern.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gnbv_desktop.core.catalogs import ETHNIC_CODE_LIST, ethnic_groups, find_ethnic_group
from gnbv_desktop.core.cccd import FEMALE, MALE, SEX_LABELS
from gnbv_desktop.core.classifications import NEAR_POOR, POOR
from gnbv_desktop.core.household import Assessment, Household, Member
from gnbv_desktop.core.standards import AREA_LABELS, StandardError, child_indicator_warnings, classify
from gnbv_desktop.core.text import clean, format_date, is_digits, parse_date
from gnbv_desktop.gui.context import AppContext
from gnbv_desktop.gui.dialog_size import remember_size
from gnbv_desktop.gui.household_history import HouseholdHistory
from gnbv_desktop.gui.household_plan_widget import HouseholdPlanWidget, PlanCellError
from gnbv_desktop.gui.ui_loader import load_ui
from gnbv_desktop.gui.unsaved_changes import Choice, FormSnapshot, ask_unsaved
from gnbv_desktop.gui.widgets import CheckList, MoneyEdit
from gnbv_desktop.store.catalog_store import load_catalog
from gnbv_desktop.store.households import (
    ValidationError,
    get_assessment,
    get_household,
    save_household,
    validate_for_save,
)
from gnbv_desktop.store.villages import list_villages

MEMBER_COLUMNS = ["Họ và tên", "Quan hệ với chủ hộ", "Năm sinh", "Giới tính", "Số CCCD", "Dân tộc"]
_CLASS_STYLE = {POOR: "background:#fde2e1;", NEAR_POOR: "background:#fff4d6;"}


class HouseholdEditor(QDialog):
    """Create (``household_id=None``) or edit one household for the context's year.

    One Lưu writes the household, its assessment and its support plan in one transaction; a
    problem anywhere keeps the dialog open on the tab and field concerned. Hủy, Esc and the
    window's close button ask before any change (on any tab) is dropped.
    """

    saved = Signal(int)

    def __init__(self, ctx: AppContext, household_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.year = ctx.year
        self.household_id = household_id
        self.household = get_household(ctx.db, household_id) if household_id else None
        self.assessment = get_assessment(ctx.db, household_id, self.year) if household_id else None
        self.villages = list_villages(ctx.db)
        try:
            self.standard = ctx.standards.for_year(self.year)
        except StandardError:
            self.standard = None
        title = f"Hộ {self.household.head_name}" if self.household else "Thêm hộ gia đình"
        self.setWindowTitle(f"{title} — năm {self.year}")
        self.setSizeGripEnabled(True)

        self.tabs = QTabWidget()
        self.general = load_ui("household_general.ui")
        self.tabs.addTab(_scrolled(self.general), "Thông tin chung")
        self.tabs.addTab(self._build_members_tab(), "Thành viên")
        self.tabs.addTab(self._build_assessment_tab(), f"Đánh giá năm {self.year}")
        self.plan_widget = HouseholdPlanWidget(ctx, embedded=True)
        hint = f"Nhập thu nhập ở trang “Đánh giá năm {self.year}” để lập kế hoạch hỗ trợ của hộ."
        self.plan_widget.empty_text = self.plan_widget.no_assessment_text = hint
        self.tabs.addTab(self.plan_widget, "Kế hoạch hỗ trợ")
        self.history = HouseholdHistory.add_to(self.tabs, ctx, household_id)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setToolTip("Lưu hộ, kết quả đánh giá và kế hoạch hỗ trợ (Ctrl+S)")
        self.cancel_button = buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self._setup_general()
        self._load()
        self._update_classification()
        self.snapshot = FormSnapshot(self)
        self.snapshot.mark_clean()
        remember_size(self, "household_editor", QSize(1100, 760))

    # building ------------------------------------------------------------------
    def _setup_general(self) -> None:
        g = self.general
        g.sexCombo.addItem("", "")
        g.sexCombo.addItem(SEX_LABELS[MALE], MALE)
        g.sexCombo.addItem(SEX_LABELS[FEMALE], FEMALE)
        g.ethnicityCombo.addItem("", "")
        for eg in ethnic_groups():
            g.ethnicityCombo.addItem(eg.name, eg.code)
        g.villageCombo.addItem("— chọn thôn —", None)
        for v in self.villages:
            g.villageCombo.addItem(f"{v.name} ({AREA_LABELS[v.area].lower()})", v.id)
        g.villageCombo.currentIndexChanged.connect(self._update_classification)
        self.categories = CheckList([(c["code"], c["name"]) for c in load_catalog(self.ctx.db, "household_categories")])
        g.categoriesBox.layout().addWidget(self.categories)

    def _build_members_tab(self) -> QWidget:
        w = load_ui("household_members.ui")
        self.members_table: QTableWidget = w.membersTable
        header = self.members_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(80)
        for col, width in ((1, 170), (2, 90), (3, 100), (4, 140), (5, 130)):
            self.members_table.setColumnWidth(col, width)
        for col, name in enumerate(MEMBER_COLUMNS):
            self.members_table.horizontalHeaderItem(col).setToolTip(name)
        w.addMemberButton.clicked.connect(self._add_blank_member)
        w.removeMemberButton.clicked.connect(self._remove_member_row)
        self.members_error: QLabel = w.membersError
        return w

    def _add_blank_member(self) -> None:
        self._add_member_row(Member(""))
        row = self.members_table.rowCount() - 1
        self.members_table.setCurrentCell(row, 0)
        self.members_table.editItem(self.members_table.item(row, 0))

    def _add_member_row(self, m: Member) -> None:
        t = self.members_table
        r = t.rowCount()
        t.insertRow(r)
        name = QTableWidgetItem(m.full_name)
        name.setData(Qt.ItemDataRole.UserRole, (m.id, m.uuid))
        t.setItem(r, 0, name)
        rel = QComboBox()
        rel.setEditable(True)
        rel.addItems([""] + [i["name"] for i in load_catalog(self.ctx.db, "relationships")])
        rel.setCurrentText(m.relation)
        t.setCellWidget(r, 1, rel)
        t.setItem(r, 2, QTableWidgetItem(str(m.birth_year) if m.birth_year else ""))
        sex = QComboBox()
        sex.addItem("", "")
        sex.addItem(SEX_LABELS[MALE], MALE)
        sex.addItem(SEX_LABELS[FEMALE], FEMALE)
        sex.setCurrentIndex(max(0, sex.findData(m.sex)))
        t.setCellWidget(r, 3, sex)
        t.setItem(r, 4, QTableWidgetItem(m.cccd))
        t.setItem(r, 5, QTableWidgetItem(m.ethnicity_name))

    def _remove_member_row(self) -> None:
        rows = sorted({i.row() for i in self.members_table.selectedIndexes()}, reverse=True)
        for r in rows:
            self.members_table.removeRow(r)

    def _build_assessment_tab(self) -> QWidget:
        ui = load_ui("household_assessment.ui", custom=(MoneyEdit,))
        self.assessment_ui = ui
        self.income_edit: MoneyEdit = ui.incomeEdit
        self.income_error: QLabel = ui.incomeError
        self.area_label: QLabel = ui.areaLabel
        self.result_label: QLabel = ui.classificationResult
        self.assessment_note: QLineEdit = ui.assessmentNote
        self.indicator_boxes: dict[str, QCheckBox] = {}
        self.causes = CheckList([(c["code"], c["name"]) for c in load_catalog(self.ctx.db, "causes")])
        self.needs = CheckList([(c["code"], c["name"]) for c in load_catalog(self.ctx.db, "needs")], columns=3)
        ui.causesBox.layout().addWidget(self.causes)
        ui.needsBox.layout().addWidget(self.needs)
        if self.standard is None:
            ui.standardLabel.setText(f"Chưa có chuẩn nghèo áp dụng cho năm {self.year}.")
            for w in (ui.incomeLabel, self.income_edit, ui.areaCaption, self.area_label, ui.indicatorsBox,
                      self.result_label, ui.causesBox, ui.needsBox, self.assessment_note):
                w.hide()
            return ui
        std = self.standard
        ui.standardLabel.setText(f"<b>Chuẩn áp dụng:</b> {html.escape(std.title)} ({html.escape(std.legal_text)})")
        if std.provisional:
            ui.provisionalLabel.setText("⚠ Danh sách chỉ số của chuẩn này là tạm thời: " + std.provisional_note)
            ui.provisionalLabel.show()
        self.income_edit.textChanged.connect(self._update_classification)
        ui.indicatorsBox.setTitle(f"Chỉ số thiếu hụt ({len(std.indicators)} chỉ số)")
        grid = ui.indicatorsBox.layout()
        col = QVBoxLayout()
        for i, (dcode, dname) in enumerate(std.dimensions):
            box = QGroupBox(f"{dcode}. {dname}")
            bl = QVBoxLayout(box)
            for ind in std.indicators:
                if ind.dimension_code != dcode:
                    continue
                cb = QCheckBox(f"{ind.code} {ind.name}" + (" (tạm thời)" if ind.provisional else ""))
                cb.setToolTip(ind.description)
                cb.toggled.connect(self._update_classification)
                bl.addWidget(cb)
                self.indicator_boxes[ind.code] = cb
            col.addWidget(box)
            if i % 2 == 1 or i == len(std.dimensions) - 1:
                col.addStretch()
                grid.addLayout(col)
                col = QVBoxLayout()
        self.causes.changed.connect(self._follow_assessment)
        self.needs.changed.connect(self._follow_assessment)
        return _scrolled(ui)

    # loading ---------------------------------------------------------------------
    def _load(self) -> None:
        g = self.general
        h = self.household
        if h is not None:
            g.headNameEdit.setText(h.head_name)
            g.codeEdit.setText(h.code)
            g.cccdEdit.setText(h.head_cccd)
            g.birthYearEdit.setText(str(h.head_birth_year) if h.head_birth_year else "")
            g.birthDateEdit.setText(format_date(h.head_birth_date) if h.head_birth_date else "")
            g.sexCombo.setCurrentIndex(max(0, g.sexCombo.findData(h.head_sex)))
            idx = g.ethnicityCombo.findText(h.ethnicity_name)
            if idx >= 0:
                g.ethnicityCombo.setCurrentIndex(idx)
            else:
                g.ethnicityCombo.setEditText(h.ethnicity_name)
            g.villageCombo.setCurrentIndex(max(0, g.villageCombo.findData(h.village_id)))
            g.addressEdit.setText(h.address)
            g.phoneEdit.setText(h.phone)
            g.noteEdit.setText(h.note)
            self.categories.set_checked(h.categories)
            for m in h.members:
                self._add_member_row(m)
        a = self.assessment
        if a is not None:
            self.income_edit.set_value(a.income)
            for code, box in self.indicator_boxes.items():
                box.setChecked(code in a.deprived)
            self.causes.set_checked(a.causes)
            self.needs.set_checked(a.needs)
            self.assessment_note.setText(a.note)
        self.plan_widget.load(self.household_id, self.year)

    # live classification ---------------------------------------------------------
    def _area(self) -> str:
        vid = self.general.villageCombo.currentData()
        for v in self.villages:
            if v.id == vid:
                return v.area
        return "rural"

    def _ages(self) -> list[int]:
        """Ages in the review year of the head and the members whose birth year is typed in."""
        years = [self.general.birthYearEdit.text().strip()]
        years += [(self.members_table.item(r, 2).text() if self.members_table.item(r, 2) else "")
                  for r in range(self.members_table.rowCount())]
        return [self.year - int(y) for y in years if is_digits(y)]

    def deprived(self) -> list[str]:
        return [code for code, box in self.indicator_boxes.items() if box.isChecked()]

    def _update_classification(self) -> None:
        if self.standard is None:
            return
        self.area_label.setText(AREA_LABELS[self._area()])
        income = self.income_edit.value()
        if income is None:
            self.result_label.setText(self.income_edit.error()
                                      or f"Nhập thu nhập để xếp loại (đang thiếu hụt {len(self.deprived())} chỉ số).")
            self.result_label.setStyleSheet("padding:6px;")
        else:
            r = classify(self.standard, self._area(), income, self.deprived())
            warnings = child_indicator_warnings(self.standard, self.deprived(), self._ages())
            lines = [f"<b>{html.escape(r.explanation)}</b>", *(f"⚠ {html.escape(w)}" for w in warnings)]
            self.result_label.setText("<br>".join(lines))
            self.result_label.setStyleSheet("padding:6px;" + _CLASS_STYLE.get(r.classification, "background:#e8f5e9;"))
        self._follow_assessment()

    def current_assessment(self) -> Assessment | None:
        """The assessment as it is on screen now (``None`` until an income is entered)."""
        income = self.income_edit.value()
        if self.standard is None or income is None:
            return None
        area = self._area()
        return Assessment(
            year=self.year, standard_id=self.standard.id, area=area, income=income, deprived=self.deprived(),
            classification=classify(self.standard, area, income, self.deprived()).classification,
            causes=self.causes.checked(), needs=self.needs.checked(),
        )

    def _follow_assessment(self) -> None:
        """The plan tab's suggestions and unaddressed deprivations follow the edited assessment."""
        if hasattr(self, "plan_widget"):
            self.plan_widget.set_assessment(self.current_assessment())

    # saving ----------------------------------------------------------------------
    def _collect(self) -> tuple[Household, Assessment | None, dict[str, str]]:
        g = self.general
        errors: dict[str, str] = {}
        year_text = clean(g.birthYearEdit.text())
        birth_year = None
        if year_text:
            if is_digits(year_text) and len(year_text) == 4:
                birth_year = int(year_text)
            else:
                errors["head.birth_year"] = "Năm sinh phải là 4 chữ số, ví dụ 1975."
        birth_date = ""
        if clean(g.birthDateEdit.text()):
            try:
                d = parse_date(g.birthDateEdit.text())
                birth_date = d.isoformat()
                birth_year = birth_year or d.year
            except (ValueError, TypeError):
                errors["head.birth_date"] = "Ngày sinh phải có dạng dd/mm/yyyy."
        eth_text = clean(g.ethnicityCombo.currentText())
        eth = find_ethnic_group(eth_text) if eth_text else None
        h = Household(
            head_name=g.headNameEdit.text(),
            village_id=g.villageCombo.currentData(),
            code=g.codeEdit.text(),
            head_cccd=g.cccdEdit.text(),
            head_birth_year=birth_year,
            head_birth_date=birth_date,
            head_sex=g.sexCombo.currentData() or "",
            ethnicity_name=eth.name if eth else eth_text,
            ethnicity_code=eth.code if eth else "",
            ethnicity_list=ETHNIC_CODE_LIST if eth else "",
            address=g.addressEdit.text(),
            phone=g.phoneEdit.text(),
            categories=self.categories.checked(),
            note=clean(g.noteEdit.text()),
            id=self.household_id,
            uuid=self.household.uuid if self.household else "",
        )
        t = self.members_table
        for r in range(t.rowCount()):
            ident = t.item(r, 0).data(Qt.ItemDataRole.UserRole) or (None, "")
            year_item = clean(t.item(r, 2).text() if t.item(r, 2) else "")
            m_year = int(year_item) if is_digits(year_item) else None
            if year_item and m_year is None:
                errors[f"members[{r}].birth_year"] = f"Năm sinh '{year_item}' ở dòng {r + 1} không hợp lệ."
            eth_m = find_ethnic_group(t.item(r, 5).text() if t.item(r, 5) else "")
            h.members.append(
                Member(
                    full_name=t.item(r, 0).text(),
                    relation=t.cellWidget(r, 1).currentText(),
                    birth_year=m_year,
                    sex=t.cellWidget(r, 3).currentData() or "",
                    cccd=t.item(r, 4).text() if t.item(r, 4) else "",
                    ethnicity_name=eth_m.name if eth_m else clean(t.item(r, 5).text() if t.item(r, 5) else ""),
                    ethnicity_code=eth_m.code if eth_m else "",
                    ethnicity_list=ETHNIC_CODE_LIST if eth_m else "",
                    id=ident[0],
                    uuid=ident[1],
                )
            )
        assessment = None
        if self.standard is not None:
            income = self.income_edit.value()
            if income is None:
                errors["assessment.income"] = self.income_edit.error() or "Chưa nhập thu nhập bình quân đầu người/tháng."
            else:
                assessment = Assessment(
                    year=self.year,
                    standard_id=self.standard.id,
                    area=self._area(),
                    income=income,
                    deprived=self.deprived(),
                    causes=self.causes.checked(),
                    needs=self.needs.checked(),
                    note=clean(self.assessment_note.text()),
                )
        return h, assessment, errors

    def _show_errors(self, errors: dict[str, str]) -> None:
        g = self.general
        labels = {
            "head_name": g.headNameError,
            "code": g.codeError,
            "head.cccd": g.cccdError,
            "head.birth_year": g.birthYearError,
            "head.birth_date": g.birthDateError,
            "village_id": g.villageError,
            "assessment.income": self.income_error,
        }
        for key, label in labels.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)
        member_msgs = [msg for key, msg in errors.items() if key.startswith("members[")]
        self.members_error.setText("\n".join(member_msgs))
        self.members_error.setVisible(bool(member_msgs))
        if not errors:
            return
        first = next(iter(errors))
        if first.startswith("members["):
            self.tabs.setCurrentIndex(1)
        elif first.startswith("assessment."):
            self.tabs.setCurrentIndex(2)
        else:
            self.tabs.setCurrentIndex(0)

    def save(self) -> bool:
        """Household, assessment and plan in one transaction; on any problem nothing is written,
        the dialog stays open and the message is shown beside the field, on its tab."""
        h, assessment, errors = self._collect()
        errors = {**validate_for_save(self.ctx.db, h, assessment), **errors}
        if errors:
            self._show_errors(errors)
            return False
        plan = self.plan_widget
        try:
            items = plan.items() if plan.is_active() else None
        except PlanCellError as exc:
            self._show_errors({})
            self.tabs.setCurrentWidget(plan)
            plan.show_error(str(exc), exc.row, exc.column)
            return False
        try:
            with self.ctx.db.atomic():
                saved = save_household(self.ctx.db, h, assessment)
                if items is not None:
                    try:
                        plan.write(saved.id, items)
                    except ValidationError as exc:
                        raise _PlanRefused(exc) from exc
        except _PlanRefused as refused:
            self._show_errors({})
            self.tabs.setCurrentWidget(plan)
            plan.show_error(str(refused.error))
            return False
        except ValidationError as exc:
            self._show_errors(exc.errors)
            return False
        self.household_id = saved.id
        if items is not None:
            plan.mark_saved(saved.id, items)
        self._show_errors({})
        self.snapshot.mark_clean()
        self.ctx.notify_changed()
        self.saved.emit(saved.id)
        self.accept()
        return True

    def has_changes(self) -> bool:
        """Any value on any tab differs from what was loaded."""
        return self.snapshot.is_dirty()

    def reject(self) -> None:
        """Hủy, Esc and the close button: ask before changes are dropped (Lưu is the default)."""
        if not self.has_changes():
            super().reject()
            return
        name = clean(self.general.headNameEdit.text())
        choice = ask_unsaved(self, f"Hộ {name}" if name else "Hộ mới")
        if choice is Choice.SAVE:
            self.save()  # closes when saved; otherwise stays open showing what to fix
        elif choice is Choice.DISCARD:
            super().reject()


class _PlanRefused(Exception):
    """The store refused the plan: the whole save is rolled back and the plan tab shows why."""

    def __init__(self, error: ValidationError):
        super().__init__(str(error))
        self.error = error


def _scrolled(widget: QWidget) -> QScrollArea:
    """A tab's form scrolls vertically, so the editor fits a 768-pixel-high screen."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(widget)
    return scroll
