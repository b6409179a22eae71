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
    KgxlButton control
    KgxlPress = Recorded
End Function
