Attribute VB_Name = "RibbonMyAddin"
Option Explicit

' Callback of every button on the selfeval ribbon tab. Python dispatches on the
' control id, so a new button needs only a line in customUI.xml and in Python.
' Keep this file ASCII: VBA stores module source in code page 1252.
Sub SelfevalAction(control As IRibbonControl)
    RunPython "import selfeval.excel.buttons as b; b.on_action('" & control.ID & "')"
End Sub
