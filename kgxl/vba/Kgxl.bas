Attribute VB_Name = "Kgxl"
' Ribbon callbacks of the kgxl tab (customUI/customUI.xml). Every button has onAction="KgxlButton";
' the button's id is the action's id in kgxl's action registry, and Python does all the work through
' xlwings' RunPython (module xlwings, embedded in this workbook). Before Python is started, the
' dispatcher checks what xlwings would otherwise report in English or not at all: a host that is
' not Microsoft Excel (WPS), and an interpreter in xlwings.conf that is not there; then it asks
' what the button needs from the user (a list file, the new term's dates). Keep this file ASCII:
' the Chinese messages and the questions come from the generated module KgxlMessages.
Option Explicit

Public Sub KgxlButton(control As Object)
    Dim problem As String, args As String
    problem = KgxlProblem(Application.Name, KgxlInterpreter(), Len(Environ("LOCALAPPDATA")) > 0)
    If Len(problem) > 0 Then
        MsgBox problem, vbExclamation, KgxlText("title")
    ElseIf KgxlAsk(control.ID, args) Then
        KgxlRun control.ID, args
    End If
End Sub

Private Function KgxlAsk(ByVal actionId As String, ByRef args As String) As Boolean
    ' What the button needs before Python runs (KgxlAsks, generated from its parameters): a file chosen,
    ' a date typed; the answers become Python keyword arguments. False: the user cancelled.
    Dim asks() As String, i As Long, part() As String, prompt As String, answer As Variant
    args = ""
    KgxlAsk = True
    If Len(KgxlAsks(actionId)) = 0 Then Exit Function
    asks = Split(KgxlAsks(actionId), ",")
    For i = LBound(asks) To UBound(asks)
        part = Split(asks(i), ":")
        prompt = KgxlText("ask_" & actionId & "_" & part(0))
        If part(1) = "file" Then
            answer = Application.GetOpenFilename(KgxlText("file_filter"), 1, prompt)
        Else
            answer = InputBox(prompt, KgxlText("title"))
        End If
        If VarType(answer) = vbBoolean Then answer = ""  ' GetOpenFilename's False: cancelled
        If Len(Trim(CStr(answer))) = 0 Then
            KgxlAsk = False
            Exit Function
        End If
        args = args & KgxlArg(part(0), Trim(CStr(answer)))
    Next i
End Function

Public Function KgxlArg(ByVal name As String, ByVal value As String) As String
    ' ", name='value'" as ASCII Python: every UTF-16 unit outside printable ASCII, and quotes and
    ' backslashes, as a \uXXXX escape (kgxl.app.ribbon.argument writes the same).
    Dim i As Long, unit As Long, out As String
    For i = 1 To Len(value)
        unit = AscW(Mid$(value, i, 1)) And &HFFFF&
        If unit >= 32 And unit < 127 And unit <> 34 And unit <> 39 And unit <> 92 Then
            out = out & Mid$(value, i, 1)
        Else
            out = out & "\u" & Right$("000" & LCase$(Hex$(unit)), 4)
        End If
    Next i
    KgxlArg = ", " & name & "='" & out & "'"
End Function

Public Sub KgxlRun(actionId As String, args As String)
    ' On Windows, with xlwings.conf's USE UDF SERVER on, RunPython runs the button's Python in a process that stays
    ' up between clicks (xlwings' COM server). When that Python cannot start (xlwings' DLL not found, the
    ' server refused), xlwings raises in English: say it in Chinese, with how to turn the option off.
    On Error GoTo Failed
    RunPython KgxlCommand(actionId, args)
    Exit Sub
Failed:
    MsgBox KgxlRunFailed(KgxlConf("USE UDF SERVER"), Err.Description), vbExclamation, KgxlText("title")
End Sub

Public Function KgxlRunFailed(ByVal warm As String, ByVal detail As String) As String
    ' The message for an error RunPython raised: with the persistent Python on, how to turn it off.
    Dim key As String
    key = "run_failed"
    If UCase(Trim(warm)) = "TRUE" Then key = "warm_failed"
    KgxlRunFailed = Replace(KgxlText(key), "{detail}", detail)
End Function

Public Function KgxlCommand(actionId As String, args As String) As String
    ' The same text as kgxl.app.ribbon's: in a Python without kgxl, a Chinese message box instead of a
    ' traceback. Single quotes only: on Windows xlwings passes this text to python -c inside double quotes.
    KgxlCommand = "import importlib.util as u; k = __import__('kgxl.excel').excel if u.find_spec('kgxl') else None; " _
        & "k.run('" & actionId & "'" & args & ") if k else __import__('xlwings').Book.caller().app.alert(" _
        & "'" & KgxlText("py_no_kgxl") & "', title='" & KgxlText("py_title") & "')"
End Function

Public Function KgxlProblem(ByVal host As String, ByVal interpreter As String, ByVal checkFile As Boolean) As String
    ' The Chinese message for what stops a button before Python runs; "" when nothing does.
    ' checkFile: the interpreter's path can be tested with Dir (Windows; Mac paths are not Dir's).
    Dim problem As String, found As String
    If InStr(host, "Microsoft Excel") = 0 Then
        problem = KgxlText("not_excel")
    ElseIf Len(interpreter) = 0 Then
        problem = Replace(KgxlText("no_python"), "{path}", "xlwings.conf")
    ElseIf checkFile Then
        found = KgxlFound(interpreter)
        If Len(found) = 0 Then problem = Replace(KgxlText("no_python"), "{path}", interpreter)
    End If
    KgxlProblem = problem
End Function

Private Function KgxlFound(ByVal path As String) As String
    ' Dir(path), or "" where Dir raises (a folder that does not exist, a path it cannot read).
    On Error GoTo Missing
    KgxlFound = Dir(path)
    Exit Function
Missing:
    KgxlFound = ""
End Function

Public Function KgxlInterpreter() As String
    ' The interpreter xlwings will start: xlwings.conf's Interpreter_Win (Interpreter_Mac off Windows),
    ' with %LOCALAPPDATA% and $HOME expanded as xlwings expands them.
    Dim key As String, value As String
    key = "Interpreter_Mac"
    If Len(Environ("LOCALAPPDATA")) > 0 Then key = "Interpreter_Win"
    value = Replace(KgxlConf(key), "%LOCALAPPDATA%", Environ("LOCALAPPDATA"))
    KgxlInterpreter = Replace(value, "$HOME", Environ("HOME"))
End Function

Public Function KgxlConf(ByVal key As String) As String
    ' A value of the xlwings.conf sheet (column A the key, compared case-blind as xlwings does; B the value).
    Dim sheet As Object, r As Long
    On Error Resume Next
    Set sheet = ThisWorkbook.Worksheets("xlwings.conf")
    On Error GoTo 0
    If sheet Is Nothing Then Exit Function
    For r = 1 To 50
        If UCase(CStr(sheet.Cells(r, 1).Value)) = UCase(key) Then
            KgxlConf = CStr(sheet.Cells(r, 2).Value)
            Exit Function
        End If
    Next r
End Function

Public Function KgxlCanary() As Long
    ' A known answer: a macro host that returns 42 here has compiled this project.
    KgxlCanary = 6 * 7
End Function
