/*
 * selfeval WPS add-in: the buttons. A button saves a copy of the active workbook, sends
 * its bytes to the checking service (POST /api/plan) and applies the plan it returns
 * (SelfevalPlan.apply), then says what happened in Chinese. Plain script, no build step:
 * it defines the global SelfevalAddin; js/ribbon.js holds the ribbon's callbacks.
 */
var SelfevalAddin = (function () {
  "use strict";

  var TITLE = "绩效自评";
  var FINDINGS_KEY = "selfeval_findings";
  var ACTIONS = {
    selfeval_validate: "validate",
    selfeval_rescore: "rescore",
    selfeval_restore: "restore",
    selfeval_clear: "clear",
  };
  var busy = false;
  var last = Promise.resolve("");

  function app() {
    return window.Application;
  }

  function say(message) {
    window.alert(TITLE + "\n\n" + message);
    return message;
  }

  /* The service's address: the configured one (js/config.js), else the server the add-in
     itself was loaded from (online mode: http://host:port/wps/). */
  function serviceUrl() {
    var configured = (window.SELFEVAL_CONFIG || {}).service || "";
    if (configured) return configured.replace(/\/+$/, "");
    var location = window.location || {};
    if (/^https?:$/.test(location.protocol || "")) return location.protocol + "//" + location.host;
    return "";
  }

  function tempFolder() {
    var fs = app().FileSystem;
    var folder = fs && (typeof fs.tmpdir === "function" ? fs.tmpdir() : fs.tmpdir);
    if (!folder && app().Env && app().Env.GetTempPath) folder = app().Env.GetTempPath();
    return String(folder || "").replace(/[\\/]+$/, "");
  }

  /* The workbook as it is now (unsaved edits included), as .xlsx bytes. */
  function workbookBytes(book) {
    var fs = app().FileSystem;
    var sep = tempFolder().indexOf("\\") >= 0 ? "\\" : "/";
    var path = tempFolder() + sep + "selfeval-" + Date.now() + ".xlsx";
    book.SaveCopyAs(path);
    try {
      return fs.ReadFileAsArrayBuffer(path);
    } finally {
      try {
        if (fs.Remove) fs.Remove(path);
      } catch (e) {
        // a temporary copy left behind is harmless
      }
    }
  }

  function shownName(book) {
    var name = String(book.Name || "工作簿");
    return /\.xls[xm]$/i.test(name) ? name : name.replace(/\.[^.]*$/, "") + ".xlsx";
  }

  /* POST the workbook to the service: the parsed JSON answer, or a thrown Chinese message. */
  function ask(path, book, action) {
    var url = serviceUrl();
    if (!url) {
      return Promise.reject(
        new Error("未配置校验服务的地址：请按 docs/wps.md 用 selfeval wps install --url 重新安装加载项。")
      );
    }
    var form = new FormData();
    form.append("file", new Blob([workbookBytes(book)]), shownName(book));
    form.append("action", action);
    var profile = (window.SELFEVAL_CONFIG || {}).profile;
    if (profile) form.append("profile", profile);
    return fetch(url + path, { method: "POST", body: form }).then(
      function (response) {
        return response.text().then(function (text) {
          var body = null;
          try {
            body = JSON.parse(text);
          } catch (e) {
            body = null;
          }
          if (response.ok && body) return body;
          if (body && (body.error || body.message)) throw new Error(body.error || body.message);
          throw new Error("校验服务出错（HTTP " + response.status + "），请稍后再试或联系维护人员。");
        });
      },
      function () {
        throw new Error(
          "无法连接校验服务（" + url + "）。请确认服务已启动、网络畅通，或联系信息科；" +
          "也可以在浏览器中打开 " + url + " 使用网页版。"
        );
      }
    );
  }

  function activeBook() {
    var book = app().ActiveWorkbook;
    if (!book) throw new Error("请先打开要处理的绩效自评表工作簿。");
    return book;
  }

  function remember(plan) {
    var storage = app().PluginStorage;
    if (storage) storage.setItem(FINDINGS_KEY, JSON.stringify(plan.findings || []));
  }

  /* Run one button; resolves to the message shown (also kept as `running()`). */
  function press(controlId) {
    last = pressed(controlId);
    return last;
  }

  function pressed(controlId) {
    if (controlId === "selfeval_pane") return Promise.resolve(showPane());
    if (controlId === "selfeval_report") return exportReport();
    var action = ACTIONS[controlId];
    if (!action) return Promise.resolve(say("未知的按钮“" + controlId + "”，请更新加载项。"));
    if (busy) return Promise.resolve(say("上一次操作还在进行，请等它完成后再点按钮。"));
    var book;
    try {
      book = activeBook();
    } catch (e) {
      return Promise.resolve(say(e.message));
    }
    busy = true;
    return Promise.resolve()
      .then(function () {
        return ask("/api/plan", book, action);
      })
      .then(function (plan) {
        var done = SelfevalPlan.apply(app(), book, plan);
        if (!done.ok) {
          return say(plan.summary ? done.message + "\n" + plan.summary : done.message);
        }
        if (action === "validate") {
          remember(plan);
          showPane();
        }
        return say(plan.message);
      })
      .catch(function (error) {
        return say(error.message || String(error));
      })
      .then(function (message) {
        busy = false;
        return message;
      });
  }

  function exportReport() {
    var book;
    try {
      book = activeBook();
    } catch (e) {
      return Promise.resolve(say(e.message));
    }
    var folder = String(book.Path || "");
    if (!folder) return Promise.resolve(say("请先将工作簿保存到本机文件夹，报告将保存在工作簿旁边。"));
    return ask("/api/plan", book, "report")
      .then(function (answer) {
        var sep = folder.indexOf("\\") >= 0 ? "\\" : "/";
        var path = folder + sep + answer.report_name;
        app().FileSystem.WriteFile(path, answer.report_html);
        return say("报告已保存：" + path);
      })
      .catch(function (error) {
        return say(error.message || String(error));
      });
  }

  function showPane() {
    var application = app();
    var storage = application.PluginStorage;
    var id = storage && storage.getItem("selfeval_pane");
    var pane = id ? application.GetTaskPane(id) : null;
    if (!pane) {
      pane = application.CreateTaskPane(paneUrl());
      if (storage) storage.setItem("selfeval_pane", pane.ID);
    }
    pane.Visible = true;
    return "已打开问题列表。";
  }

  function paneUrl() {
    var here = String((window.location && window.location.href) || "");
    return here.replace(/[^/]*([?#].*)?$/, "") + "taskpane.html";
  }

  /* The service's plan of `action` for the active workbook, not applied. */
  function plan(action) {
    return Promise.resolve().then(function () {
      return ask("/api/plan", activeBook(), action);
    });
  }

  return {
    press: press,
    running: function () {
      return last;
    },
    plan: plan,
    serviceUrl: serviceUrl,
    FINDINGS_KEY: FINDINGS_KEY,
    ACTIONS: ACTIONS,
  };
})();
