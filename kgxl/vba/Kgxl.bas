Attribute VB_Name = "Kgxl"
' Ribbon callbacks of the kgxl tab (customUI/customUI.xml). Every button has onAction="KgxlButton";
' the button's id is the action's id in kgxl.actions.ACTIONS, and Python does all the work through
' xlwings' RunPython (module xlwings, embedded in this workbook). Keep this file ASCII: labels and
' messages are Chinese and come from Python.
Option Explicit

Public Sub KgxlButton(control As Object)
    KgxlRun control.ID
End Sub

Public Sub KgxlRun(actionId As String)
    RunPython KgxlCommand(actionId)
End Sub

Public Function KgxlCommand(actionId As String) As String
    KgxlCommand = "import kgxl.excel; kgxl.excel.run('" & actionId & "')"
End Function

Public Function KgxlCanary() As Long
    ' A known answer: a macro host that returns 42 here has compiled this project.
    KgxlCanary = 6 * 7
End Function
