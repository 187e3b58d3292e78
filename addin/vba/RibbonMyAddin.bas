Attribute VB_Name = "RibbonMyAddin"
Option Explicit

' Callback of every button on the selfeval ribbon tab. Python dispatches on the
' control id, so a new button needs only a line in customUI.xml and in Python.
' Keep this file ASCII: VBA stores module source in code page 1252, so each
' Chinese message is spelled as UTF-16 code points and decoded by Zh.

Private Busy As Boolean

Sub SelfevalAction(control As IRibbonControl)
    Dim problem As String
    If Busy Then
        MsgBox Zh("4E0A 4E00 6B21 64CD 4F5C 8FD8 5728 8FDB 884C FF0C 8BF7 7B49 5B83 5B8C 6210 540E 518D 70B9 6309 94AE 3002"), vbInformation, Zh("7EE9 6548 81EA 8BC4")
        Exit Sub
    End If
    problem = CannotRun()
    If problem <> "" Then
        MsgBox problem, vbExclamation, Zh("7EE9 6548 81EA 8BC4")
        Exit Sub
    End If
    Busy = True
    On Error GoTo Failed
    RunPython "import selfeval.excel.buttons as b; b.on_action('" & control.ID & "')"
    Busy = False
    Exit Sub
Failed:
    Busy = False
    MsgBox Zh("5904 7406 65F6 51FA 9519 FF1A") & Err.Description, vbExclamation, Zh("7EE9 6548 81EA 8BC4")
End Sub

' Why the button cannot run now, in Chinese; "" when it can. Checked before Python
' starts, so that Excel shows no run-time error and xlwings no English message.
Private Function CannotRun() As String
    Dim interpreter As String
#If Mac Then
    If ActiveWorkbook Is Nothing Then
        CannotRun = Zh("8BF7 5148 6253 5F00 8981 5904 7406 7684 81EA 8BC4 8868 5DE5 4F5C 7C3F FF0C 518D 70B9 6B64 6309 94AE 3002")
        Exit Function
    End If
    interpreter = GetConfig("INTERPRETER_MAC", "")
#Else
    If Not Application.ActiveProtectedViewWindow Is Nothing Then
        CannotRun = Zh("6B64 5DE5 4F5C 7C3F 5904 4E8E 201C 53D7 4FDD 62A4 7684 89C6 56FE 201D FF0C 52A0 8F7D 9879 4E0D 80FD 8BFB 53D6 6216 4FEE 6539 5B83 3002 8BF7 5148 70B9 51FB 7A97 53E3 4E0A 65B9 9EC4 8272 63D0 793A 6761 4E2D 7684 201C 542F 7528 7F16 8F91 201D FF0C 518D 70B9 6B64 6309 94AE 3002")
        Exit Function
    End If
    If ActiveWorkbook Is Nothing Then
        CannotRun = Zh("8BF7 5148 6253 5F00 8981 5904 7406 7684 81EA 8BC4 8868 5DE5 4F5C 7C3F FF0C 518D 70B9 6B64 6309 94AE 3002")
        Exit Function
    End If
    interpreter = GetConfig("INTERPRETER_WIN", "")
#End If
    If interpreter = "" Then
        CannotRun = Zh("672A 627E 5230 8FD0 884C 52A0 8F7D 9879 6240 9700 7684 0020 0050 0079 0074 0068 006F 006E 3002 8BF7 8FD0 884C 79BB 7EBF 5B89 88C5 5305 4E2D 7684 0020 0069 006E 0073 0074 0061 006C 006C 002E 0062 0061 0074 FF0C 6216 5728 547D 4EE4 63D0 793A 7B26 4E2D 8FD0 884C 0020 0073 0065 006C 0066 0065 0076 0061 006C 0020 0061 0064 0064 0069 006E 0020 0069 006E 0073 0074 0061 006C 006C FF0C 7136 540E 91CD 65B0 542F 52A8 0020 0045 0078 0063 0065 006C 3002")
    ElseIf Not FileExists(interpreter) Then
        CannotRun = Zh("627E 4E0D 5230 0020 0050 0079 0074 0068 006F 006E FF1A") & interpreter & Zh("3002 0050 0079 0074 0068 006F 006E 0020 53EF 80FD 5DF2 88AB 5378 8F7D 6216 79FB 52A8 3002 8BF7 91CD 65B0 8FD0 884C 0020 0069 006E 0073 0074 0061 006C 006C 002E 0062 0061 0074 0020 6216 0020 0073 0065 006C 0066 0065 0076 0061 006C 0020 0061 0064 0064 0069 006E 0020 0069 006E 0073 0074 0061 006C 006C FF0C 7136 540E 91CD 65B0 542F 52A8 0020 0045 0078 0063 0065 006C 3002")
    End If
End Function

' Text from space-separated hexadecimal UTF-16 code points: Zh("4E2D 6587").
Private Function Zh(codes As String) As String
    Dim code As Variant
    For Each code In Split(codes, " ")
        Zh = Zh & ChrW(CLng("&H" & code & "&"))
    Next code
End Function
