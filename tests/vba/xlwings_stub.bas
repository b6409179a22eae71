Attribute VB_Name = "xlwings"
' Test build only: stands in for xlwings' RunPython (which does not compile in LibreOffice) and
' records the command each button would send to Python.
Option Explicit

Private Recorded As String

Public Function RunPython(PythonCommand As String)
    Recorded = Recorded & PythonCommand & Chr(10)
End Function

Public Function KgxlPress(buttonId As String) As String
    ' Press a ribbon button: the dispatcher gets a control whose ID is the button's id.
    Dim control As New FakeControl
    control.ID = buttonId
    Recorded = ""
    KgxlRun control.ID, ""  ' KgxlButton's checks first stop LibreOffice, which is not Microsoft Excel: tried below
    KgxlPress = Recorded
End Function

Public Function KgxlPressWith(spec As String) As String
    ' Press a button that asks first, with the user's answer given: "id|parameter|answer".
    Dim part() As String
    part = Split(spec, "|")
    Recorded = ""
    KgxlRun part(0), KgxlArg(part(1), part(2))
    KgxlPressWith = Recorded
End Function

Public Function KgxlTryHost(host As String) As String
    ' The dispatcher's check of the host, with a Python that is there (this test's own shell).
    KgxlTryHost = KgxlProblem(host, "/bin/sh", True)
End Function

Public Function KgxlTryInterpreter(path As String) As String
    ' The dispatcher's check of the interpreter, in Excel.
    KgxlTryInterpreter = KgxlProblem("Microsoft Excel", path, True)
End Function

Public Function KgxlTryNoInterpreter() As String
    KgxlTryNoInterpreter = KgxlProblem("Microsoft Excel", "", True)
End Function

Public Function KgxlReadInterpreter() As String
    KgxlReadInterpreter = KgxlInterpreter()
End Function

Public Function KgxlHostName() As String
    KgxlHostName = Application.Name
End Function

Public Function KgxlTryRunFailed(warm As String) As String
    ' The message for an error RunPython raised, with xlwings.conf's USE UDF SERVER as given.
    KgxlTryRunFailed = KgxlRunFailed(warm, "Could not load xlwings64.dll")
End Function

Public Function KgxlReadWarm() As String
    KgxlReadWarm = KgxlConf("use udf server")
End Function
