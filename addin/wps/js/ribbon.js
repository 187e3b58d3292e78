/*
 * selfeval WPS add-in: the ribbon's callbacks (ribbon.xml names each of them). WPS calls
 * them as global functions of the page index.html loads.
 */

/* customUI onLoad: keep the ribbon to refresh the buttons' state later. */
function OnAddinLoad(ribbonUI) {
  window.Application.ribbonUI = ribbonUI;
  return true;
}

/* Every button: control.Id is one of SelfevalAddin.ACTIONS, selfeval_report or selfeval_pane. */
function OnAction(control) {
  SelfevalAddin.press(control.Id);
  return true;
}

/* A button works on an open workbook only. */
function OnGetEnabled(control) {
  return !!window.Application.ActiveWorkbook;
}

function GetImage(control) {
  return "icons/" + control.Id.replace("selfeval_", "") + ".png";
}
