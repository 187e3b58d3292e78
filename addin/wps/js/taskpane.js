/*
 * selfeval WPS add-in: the task pane listing the findings of the last 校验; a click on
 * one goes to its cell. Plain script: it defines the global SelfevalPane.
 */
var SelfevalPane = (function () {
  "use strict";

  function app() {
    return window.Application;
  }

  /* The findings the last 校验 stored, errors first. */
  function items() {
    var stored = app().PluginStorage.getItem("selfeval_findings");
    var findings = stored ? JSON.parse(stored) : [];
    var order = { error: 0, warning: 1, info: 2 };
    return findings.slice().sort(function (a, b) {
      return order[a.severity] - order[b.severity];
    });
  }

  /* Activate the finding's sheet and select its cell; false when it names no cell. */
  function goTo(finding) {
    var book = app().ActiveWorkbook;
    if (!book || !finding.sheet || !finding.cell) return false;
    var sheet = SelfevalPlan.findSheet(book, finding.sheet);
    if (!sheet) return false;
    sheet.Activate();
    sheet.Range(finding.cell).Select();
    return true;
  }

  function render(document) {
    var list = document.getElementById("findings");
    var found = items();
    list.textContent = "";
    document.getElementById("count").textContent = found.length
      ? "共 " + found.length + " 个问题，点击可跳到所在单元格。"
      : "上次校验未发现问题（或尚未校验）。";
    found.forEach(function (finding) {
      var item = document.createElement("li");
      item.className = finding.severity;
      var where = finding.sheet && finding.cell ? finding.sheet + "!" + finding.cell : finding.field;
      item.textContent = finding.label + " " + finding.code + " " + where + "：" + finding.message;
      item.onclick = function () {
        goTo(finding);
      };
      list.appendChild(item);
    });
  }

  // No inline handlers in the page: the service's content policy allows scripts from files only.
  if (typeof document !== "undefined" && document.addEventListener) {
    document.addEventListener("DOMContentLoaded", function () {
      render(document);
      document.getElementById("refresh").addEventListener("click", function () {
        render(document);
      });
    });
  }

  return { items: items, goTo: goTo, render: render };
})();
