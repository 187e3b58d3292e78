/*
 * selfeval WPS add-in: the ribbon's callbacks (ribbon.xml names each of them). WPS calls
 * them as global functions of the page index.html loads.
 */

/* Workbook events after which the buttons' state is asked again (getEnabled). */
var SELFEVAL_EVENTS = ["WindowActivate", "WindowDeactivate", "WorkbookOpen", "NewWorkbook"];

/* customUI onLoad: keep the ribbon, and refresh the buttons when workbooks come and go. */
function OnAddinLoad(ribbonUI) {
  var app = window.Application;
  app.ribbonUI = ribbonUI;
  var events = app.ApiEvent;
  if (events && events.AddApiEventListener) {
    SELFEVAL_EVENTS.forEach(function (name) {
      events.AddApiEventListener(name, OnWorkbookChange);
    });
    window.SELFEVAL_REFRESHED = true;
  }
  return true;
}

function OnWorkbookChange() {
  var ui = window.Application.ribbonUI;
  if (ui && ui.Invalidate) ui.Invalidate();
}

/* Every button: control.Id is one of SelfevalAddin.ACTIONS, selfeval_report or selfeval_pane. */
function OnAction(control) {
  SelfevalAddin.press(control.Id);
  return true;
}

/* A button works on an open workbook. Without workbook events to refresh it, a button
   greyed at start-up would stay grey: then it stays enabled and says why it cannot run. */
function OnGetEnabled(control) {
  return !window.SELFEVAL_REFRESHED || !!window.Application.ActiveWorkbook;
}

function GetImage(control) {
  return "icons/" + control.Id.replace("selfeval_", "") + ".png";
}
