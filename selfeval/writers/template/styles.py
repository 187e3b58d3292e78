"""Cell styles of the templates: fonts found on Chinese Windows, thin borders,
grey for locked cells, red for the guidance rules."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat

BODY_FONT = "宋体"  # SimSun: on every Chinese Windows; WPS and LibreOffice map it
TITLE_FONT = "黑体"  # SimHei

TITLE = Font(name=TITLE_FONT, size=16)
SUBTITLE = Font(name=BODY_FONT, size=11)
BODY = Font(name=BODY_FONT, size=10)
HEADING = Font(name=BODY_FONT, size=10, bold=True)

_THIN = Side(style="thin", color="000000")
GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
NO_BORDER = Border()

CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
LEFT_TOP = Alignment(horizontal="left", vertical="top", wrap_text=True)

LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
CHECK_FILL = PatternFill("solid", fgColor="FFF2CC")
NO_FILL = PatternFill()

LOCKED = Protection(locked=True)
UNLOCKED = Protection(locked=False)

# Number formats: "@" keeps typed text such as "=100%" from turning into a formula.
TEXT = "@"
AMOUNT = "#,##0.00"
RATE = "0.00%"
SCORE = "0.00"
GENERAL = "General"
GRADE = '"等级："@'

ALERT = DifferentialStyle(
    font=Font(color="9C0006"), fill=PatternFill("solid", bgColor="FFC7CE", fgColor="FFC7CE")
)
# The ";;;" number format shows nothing, whatever the fill behind (locked cells are grey).
HIDDEN_REPEAT = DifferentialStyle(numFmt=NumberFormat(numFmtId=200, formatCode=";;;"))
