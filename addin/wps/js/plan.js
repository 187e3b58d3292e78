/*
 * selfeval WPS add-in: a plan from the checking service applied to the open workbook,
 * all or nothing (the plan's format: docs/api.md, "加载项的写入计划").
 *
 * Every write first records how to undo itself from what the workbook holds now, then
 * writes; when a write fails, the writes made so far are undone in reverse order. Sheet
 * protection without a password is lifted for the writes and put back with exactly the
 * same options; a sheet (or workbook structure) protected with a password is left as it
 * was and the user is told in Chinese. Plain script, no build step: it defines the global
 * SelfevalPlan.
 */
var SelfevalPlan = (function () {
  "use strict";

  var XL_NONE = -4142; // xlColorIndexNone: no fill
  var XL_SHEET_HIDDEN = 0;
  var XL_CALC_MANUAL = -4135;
  var SHEET_FLAGS = ["DrawingObjects", "Contents", "Scenarios", "UserInterfaceOnly"];
  var SHEET_PROPS = {
    DrawingObjects: "ProtectDrawingObjects",
    Contents: "ProtectContents",
    Scenarios: "ProtectScenarios",
    UserInterfaceOnly: "ProtectionMode",
  };
  // Worksheet.Protect's arguments after the flags, in its order.
  var SHEET_ALLOWS = [
    "AllowFormattingCells",
    "AllowFormattingColumns",
    "AllowFormattingRows",
    "AllowInsertingColumns",
    "AllowInsertingRows",
    "AllowInsertingHyperlinks",
    "AllowDeletingColumns",
    "AllowDeletingRows",
    "AllowSorting",
    "AllowFiltering",
    "AllowUsingPivotTables",
  ];

  function PasswordProtected(where) {
    this.where = where;
  }

  // -- values as Excel takes them ---------------------------------------------------

  var FORMULA_STARTS = "=+-@\t\r＝＋－＠'"; // selfeval.form.safe_text.FORMULA_STARTS, and "'"
  var DATE_LIKE = /^\d{1,4}[-/]\d{1,2}([-/]\d{1,4})?$/;

  /* Text that the sheet would turn into a formula, number or date keeps its "'" prefix
     (as selfeval.excel.book_io.excel_value does in Python). */
  function typed(value) {
    if (typeof value !== "string" || value === "") return value;
    if (FORMULA_STARTS.indexOf(value.charAt(0)) >= 0) return "'" + value;
    if (DATE_LIKE.test(value.trim())) return "'" + value;
    var body = value.replace(/,/g, "").replace(/%$/, "").trim();
    if (body !== "" && !isNaN(Number(body))) return "'" + value;
    return value;
  }

  function bgr(hex) {
    var rgb = parseInt(hex.replace("#", ""), 16);
    return ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) * 256 + (rgb & 0xff) * 65536;
  }

  // -- reading and writing one cell -------------------------------------------------

  function cellState(range) {
    return range.HasFormula ? { formula: range.Formula } : { value: range.Value2 };
  }

  function putCell(range, state) {
    if (state.formula !== undefined) range.Formula = state.formula;
    else range.Value2 = state.value === null || state.value === undefined ? "" : typed(state.value);
  }

  function writeValue(range, value) {
    if (typeof value === "string" && value.charAt(0) === "=") range.Formula = value;
    else range.Value2 = value === null || value === undefined ? "" : value;
  }

  function fillOf(range) {
    var interior = range.Interior;
    return interior.ColorIndex === XL_NONE ? null : interior.Color;
  }

  function setFill(range, fill) {
    if (fill === null || fill === undefined) range.Interior.ColorIndex = XL_NONE;
    else if (typeof fill === "number") range.Interior.Color = fill;
    else range.Interior.Color = bgr(fill);
  }

  function noteOf(range) {
    var comment = range.Comment;
    return comment ? comment.Text() : null;
  }

  function setNote(range, text) {
    var comment = range.Comment;
    if (text === null) {
      if (comment) comment.Delete();
    } else if (comment) {
      comment.Text(text);
    } else {
      range.AddComment(text);
    }
  }

  // -- whole sheets ---------------------------------------------------------------------

  function findSheet(book, name) {
    var sheets = book.Worksheets;
    for (var i = 1; i <= sheets.Count; i++) {
      if (sheets.Item(i).Name === name) return sheets.Item(i);
    }
    return null;
  }

  function sheetContents(sheet) {
    var used = sheet.UsedRange;
    var cells = [];
    for (var r = 0; r < used.Rows.Count; r++) {
      for (var c = 0; c < used.Columns.Count; c++) {
        var cell = sheet.Cells.Item(used.Row + r, used.Column + c);
        var state = cellState(cell);
        if (state.formula !== undefined || (state.value !== null && state.value !== undefined && state.value !== "")) {
          cells.push([used.Row + r, used.Column + c, state]);
        }
      }
    }
    return { cells: cells, hidden: sheet.Visible === XL_SHEET_HIDDEN };
  }

  function writeRows(sheet, rows) {
    for (var r = 0; r < rows.length; r++) {
      for (var c = 0; c < rows[r].length; c++) {
        var value = rows[r][c];
        if (value !== null && value !== undefined && value !== "") {
          writeValue(sheet.Cells.Item(r + 1, c + 1), value);
        }
      }
    }
  }

  function putContents(sheet, contents) {
    sheet.UsedRange.ClearContents();
    contents.cells.forEach(function (item) {
      putCell(sheet.Cells.Item(item[0], item[1]), item[2]);
    });
  }

  /* A new sheet after the last; `undo` (when given) learns how to remove it again, before
     anything that can fail after the sheet exists. */
  function addSheet(app, book, name, hidden, undo) {
    var active = book.ActiveSheet;
    var sheets = book.Worksheets;
    var sheet = sheets.Add(null, sheets.Item(sheets.Count));
    if (undo) {
      undo.push(function () {
        deleteSheet(app, sheet);
        if (active) active.Activate();
      });
    }
    if (active) active.Activate(); // adding a sheet activates it: leave the user where they were
    sheet.Name = name;
    if (hidden) sheet.Visible = XL_SHEET_HIDDEN;
    return sheet;
  }

  function sheetIndex(book, sheet) {
    for (var i = 1; i <= book.Worksheets.Count; i++) {
      if (book.Worksheets.Item(i).Name === sheet.Name) return i; // wrappers differ: compare names
    }
    return book.Worksheets.Count;
  }

  /* Put a sheet added back at its old place (our own sheets are last: mostly a no-op). */
  function moveTo(book, sheet, index) {
    if (sheetIndex(book, sheet) !== index && index < book.Worksheets.Count) {
      sheet.Move(book.Worksheets.Item(index));
    }
  }

  function deleteSheet(app, sheet) {
    var alerts = app.DisplayAlerts;
    app.DisplayAlerts = false;
    try {
      sheet.Delete();
    } finally {
      app.DisplayAlerts = alerts;
    }
  }

  // -- protection -------------------------------------------------------------------------

  function sheetProtection(sheet) {
    var options = {};
    var any = false;
    SHEET_FLAGS.forEach(function (flag) {
      options[flag] = !!sheet[SHEET_PROPS[flag]];
      if (flag !== "UserInterfaceOnly" && options[flag]) any = true;
    });
    if (!any) return null;
    SHEET_ALLOWS.forEach(function (name) {
      options[name] = !!sheet.Protection[name];
    });
    options.EnableSelection = sheet.EnableSelection;
    return options;
  }

  function bookProtection(book) {
    if (!book.ProtectStructure && !book.ProtectWindows) return null;
    return { Structure: !!book.ProtectStructure, Windows: !!book.ProtectWindows };
  }

  function unprotect(target, isBook, name) {
    try {
      target.Unprotect("");
    } catch (e) {
      throw new PasswordProtected({ book: isBook, name: name });
    }
    var still = isBook ? target.ProtectStructure || target.ProtectWindows : target.ProtectContents;
    if (still) throw new PasswordProtected({ book: isBook, name: name });
  }

  function protect(target, isBook, options) {
    if (isBook) {
      target.Protect("", options.Structure, options.Windows);
      return;
    }
    var args = [""].concat(
      SHEET_FLAGS.map(function (f) {
        return options[f];
      }),
      SHEET_ALLOWS.map(function (a) {
        return options[a];
      })
    );
    target.Protect.apply(target, args);
    if (options.EnableSelection !== undefined) target.EnableSelection = options.EnableSelection;
  }

  // -- the writes of a plan -----------------------------------------------------------------

  /* Each elementary write: a function that records its undo in `undo` first, then writes. */
  function writesOf(app, book, write) {
    var op = write.op;
    if (op === "values") {
      return write.cells.map(function (item) {
        return function (undo) {
          var range = findSheet(book, write.sheet).Range(item.cell);
          var before = cellState(range);
          undo.push(function () {
            putCell(range, before);
          });
          writeValue(range, item.value);
        };
      });
    }
    if (op === "fills") {
      return write.cells.map(function (item) {
        return function (undo) {
          var range = findSheet(book, write.sheet).Range(item.cell);
          var before = fillOf(range);
          undo.push(function () {
            setFill(range, before);
          });
          setFill(range, item.fill);
        };
      });
    }
    if (op === "notes") {
      return write.cells.map(function (item) {
        return function (undo) {
          var range = findSheet(book, write.sheet).Range(item.cell);
          var before = noteOf(range);
          if (before !== null && item.ours === null) return; // the user's own note: left alone
          undo.push(function () {
            setNote(range, before);
          });
          setNote(range, item.text);
        };
      });
    }
    if (op === "sheet") {
      return [
        function (undo) {
          var sheet = findSheet(book, write.sheet);
          if (sheet === null) {
            sheet = addSheet(app, book, write.sheet, write.hidden, undo);
          } else {
            var before = sheetContents(sheet);
            undo.push(function () {
              putContents(sheet, before);
            });
            sheet.UsedRange.ClearContents();
          }
          writeRows(sheet, write.rows);
        },
      ];
    }
    if (op === "delete_sheet") {
      return [
        function (undo) {
          var sheet = findSheet(book, write.sheet);
          if (sheet === null) return;
          var before = sheetContents(sheet);
          var at = sheetIndex(book, sheet);
          var wasActive = !!book.ActiveSheet && book.ActiveSheet.Name === sheet.Name;
          undo.push(function () {
            if (findSheet(book, write.sheet) !== null) return; // the delete did not happen
            var back = addSheet(app, book, write.sheet, before.hidden);
            moveTo(book, back, at);
            putContents(back, before);
            if (wasActive) back.Activate();
          });
          deleteSheet(app, sheet);
        },
      ];
    }
    throw new Error("未知的写入操作：" + op);
  }

  function passwordMessage(where) {
    if (where.book) {
      return (
        "工作簿“" + where.name + "”的结构设有密码保护，未做任何修改。" +
        "如需标记或改写，请先取消保护（审阅 → 保护工作簿，输入密码），完成后再重新保护。"
      );
    }
    return (
      "工作表“" + where.name + "”设有密码保护，未做任何修改。" +
      "如需标记或改写，请先取消保护（审阅 → 撤销工作表保护，输入密码），完成后再重新保护。"
    );
  }

  function failureMessage(error, failed) {
    var head = "写入工作簿时出错（" + ((error && error.message) || error) + "），本次操作未完成";
    if (!failed) return head + "，工作簿已恢复为操作前的样子。";
    return (
      head + "；恢复时又有 " + failed + " 处出错，工作簿可能未完全复原。" +
      "请不要保存，关闭工作簿（不保存）后重新打开。"
    );
  }

  /* Apply `plan` to `book`: {ok: true} when every write was made, else {ok: false,
     message} with the workbook as it was. */
  function apply(app, book, plan) {
    var writes = [];
    plan.writes.forEach(function (write) {
      writes = writes.concat(writesOf(app, book, write));
    });
    if (!writes.length) return { ok: true };
    var targets = [];
    if (plan.structure) targets.push({ target: book, isBook: true, name: book.Name });
    plan.sheets.forEach(function (name) {
      var sheet = findSheet(book, name);
      if (sheet) targets.push({ target: sheet, isBook: false, name: name });
    });
    var known = plan.protection || {};
    for (var k = 0; k < targets.length; k++) {
      var info = known[targets[k].isBook ? "" : targets[k].name];
      if (info && info.password) {
        // the saved copy says so: not even an attempt (WPS might ask for the password)
        var where = { book: targets[k].isBook, name: targets[k].name };
        return { ok: false, password: true, message: passwordMessage(where) };
      }
    }
    var opened = [];
    var undo = [];
    var screen = app.ScreenUpdating;
    var calculation = app.Calculation;
    try {
      app.ScreenUpdating = false;
      app.Calculation = XL_CALC_MANUAL;
      targets.forEach(function (t) {
        var options = t.isBook ? bookProtection(t.target) : sheetProtection(t.target);
        if (options === null) return;
        unprotect(t.target, t.isBook, t.name);
        opened.push({ t: t, options: options });
      });
      writes.forEach(function (write) {
        write(undo);
      });
      while (opened.length) {
        var last = opened[opened.length - 1];
        protect(last.t.target, last.t.isBook, last.options);
        opened.pop();
      }
      return { ok: true };
    } catch (error) {
      var failed = 0;
      for (var i = undo.length - 1; i >= 0; i--) {
        try {
          undo[i]();
        } catch (e) {
          failed++;
        }
      }
      for (var j = opened.length - 1; j >= 0; j--) {
        try {
          protect(opened[j].t.target, opened[j].t.isBook, opened[j].options);
        } catch (e) {
          failed++;
        }
      }
      if (error instanceof PasswordProtected) {
        return { ok: false, password: true, message: passwordMessage(error.where) };
      }
      return { ok: false, message: failureMessage(error, failed) };
    } finally {
      app.Calculation = calculation;
      app.ScreenUpdating = screen;
    }
  }

  return { apply: apply, typed: typed, bgr: bgr, findSheet: findSheet };
})();
