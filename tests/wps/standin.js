/*
 * A stand-in for WPS 表格's JS object model (window.Application …), enough for the
 * selfeval add-in, that ENFORCES what WPS (like Excel) enforces:
 *
 *   - a protected sheet refuses values and formulas in locked cells, formatting unless
 *     "format cells" is allowed, and notes unless objects are unprotected;
 *   - a sheet or workbook protected with a password refuses Unprotect without it;
 *   - a workbook whose structure is protected refuses to add, delete, rename or hide sheets;
 *   - a cell holds one note (AddComment on a cell with one fails).
 *
 * Every change to the workbook counts as one write; `faultAt = n` makes the n-th write
 * fail (fault injection). The workbook is loaded from, and dumped to, the JSON that
 * tests/wps_harness.py reads from and writes to .xlsx files; SaveCopyAs asks that
 * harness to write the copy, so the service receives a real workbook file.
 */
"use strict";

const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");

const XL_NONE = -4142;

class Refused extends Error {}
class InjectedFault extends Error {}

function letters(n) {
  let s = "";
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function parseAddress(address) {
  const m = /^\$?([A-Z]{1,3})\$?(\d+)$/.exec(address);
  if (!m) throw new Error("the stand-in reads single cells only, not " + address);
  let col = 0;
  for (const ch of m[1]) col = col * 26 + ch.charCodeAt(0) - 64;
  return [Number(m[2]), col];
}

function hexToBgr(hex) {
  const rgb = parseInt(hex.slice(1), 16);
  return ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) * 256 + (rgb & 0xff) * 65536;
}

function bgrToHex(bgr) {
  const r = bgr & 0xff, g = (bgr >> 8) & 0xff, b = (bgr >> 16) & 0xff;
  return "#" + [r, g, b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

/* What the sheet makes of a value written to Value2 / Formula (as Excel does). */
function interpret(value) {
  if (value === null || value === undefined || value === "") return { v: null };
  if (typeof value !== "string") return { v: value };
  if (value.startsWith("'")) return { v: value.slice(1) };
  if (value.startsWith("=")) return { f: value, v: null };
  const body = value.replace(/,/g, "").trim();
  if (/^[+-]?\d+(\.\d+)?%$/.test(body)) return { v: Number(body.slice(0, -1)) / 100 };
  if (/^[+-]?\d+(\.\d+)?$/.test(body)) return { v: Number(body) };
  return { v: value };
}

class Session {
  constructor(state, options) {
    this.writes = 0;
    this.faultAt = 0;
    this.options = options || {};
    this.alerts = [];
    this.app = new Application(this);
    this.app.ActiveWorkbook = state ? new Workbook(this, state) : null;
  }
  write(what) {
    this.writes += 1;
    if (this.faultAt && this.writes === this.faultAt) {
      throw new InjectedFault("模拟的写入失败（第 " + this.writes + " 步：" + what + "）");
    }
  }
}

class Application {
  constructor(session) {
    this._s = session;
    this.ScreenUpdating = true;
    this.Calculation = -4105; // xlCalculationAutomatic
    this.DisplayAlerts = true;
    this._storage = {};
    this._panes = {};
    this._listeners = {};
    this.ApiEvent = {
      AddApiEventListener: (name, handler) => {
        (this._listeners[name] = this._listeners[name] || []).push(handler);
      },
    };
    const tmp = session.options.tmpdir || "/tmp";
    this.PluginStorage = {
      getItem: (k) => (k in this._storage ? this._storage[k] : null),
      setItem: (k, v) => {
        this._storage[k] = String(v);
      },
    };
    this.FileSystem = {
      tmpdir: () => tmp,
      ReadFileAsArrayBuffer: (p) => {
        const data = fs.readFileSync(p);
        return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
      },
      Remove: (p) => fs.rmSync(p, { force: true }),
      WriteFile: (p, text) => {
        fs.writeFileSync(p, text, "utf8");
        return true;
      },
    };
  }
  CreateTaskPane(url) {
    const id = "pane" + (Object.keys(this._panes).length + 1);
    this._panes[id] = { ID: id, url: url, Visible: false };
    return this._panes[id];
  }
  GetTaskPane(id) {
    return this._panes[id] || null;
  }
}

class Collection {
  constructor(book) {
    this._b = book;
  }
  get Count() {
    return this._b._sheets.length;
  }
  Item(key) {
    const sheets = this._b._sheets;
    const found = typeof key === "number" ? sheets[key - 1] : sheets.find((s) => s.Name === key);
    if (!found) throw new Error("no sheet " + key);
    return found;
  }
  Add(before, after) {
    const book = this._b;
    book._refuseStructure();
    book._s.write("add sheet");
    let n = 1;
    while (book._sheets.some((s) => s.Name === "Sheet" + n)) n++;
    const sheet = new Worksheet(book, { name: "Sheet" + n, visible: true, cells: {} });
    const at = after ? book._sheets.indexOf(after) + 1 : before ? book._sheets.indexOf(before) : 0;
    book._sheets.splice(at, 0, sheet);
    book._active = sheet;
    return sheet;
  }
}

class Workbook {
  constructor(session, state) {
    this._s = session;
    this.Name = state.name;
    this.Path = state.path || "";
    this.FullName = this.Path ? path.join(this.Path, this.Name) : this.Name;
    this._sheets = state.sheets.map((s) => new Worksheet(this, s));
    this._active = this._sheets[state.active || 0];
    const p = state.protection;
    this.ProtectStructure = !!(p && p.Structure);
    this.ProtectWindows = !!(p && p.Windows);
    this._password = (p && p.password) || "";
    this.Worksheets = new Collection(this);
    this.Sheets = this.Worksheets;
  }
  get ActiveSheet() {
    return this._active;
  }
  _refuseStructure() {
    if (this.ProtectStructure) throw new Refused("工作簿结构受保护，拒绝增删、改名或隐藏工作表");
  }
  Unprotect(password) {
    if (this._password && password !== this._password) throw new Refused("密码不正确");
    this.ProtectStructure = this.ProtectWindows = false;
    this._password = "";
  }
  Protect(password, structure, windows) {
    this._s.write("protect book");
    this.ProtectStructure = !!structure;
    this.ProtectWindows = !!windows;
    this._password = password || "";
  }
  SaveCopyAs(target) {
    const harness = this._s.options.savecopy;
    const statePath = target + ".json";
    fs.writeFileSync(statePath, JSON.stringify(dump(this)));
    try {
      execFileSync(harness.python, [...harness.args, statePath, target], {
        cwd: harness.cwd,
        stdio: ["ignore", "ignore", "inherit"],
      });
    } finally {
      fs.rmSync(statePath, { force: true });
    }
  }
}

const ALLOWS = [
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

class Worksheet {
  constructor(book, state) {
    this._b = book;
    this._name = state.name;
    this._visible = state.visible !== false;
    this._cells = {}; // "r,c" -> {v, f, fill, note, locked}
    for (const [address, cell] of Object.entries(state.cells || {})) {
      const [r, c] = parseAddress(address);
      this._cells[r + "," + c] = Object.assign({ locked: true }, cell);
    }
    this._protect(state.protection);
    this.Cells = { Item: (r, c) => new Range(this, r, c) };
  }
  _protect(p) {
    this.ProtectContents = !!(p && p.Contents);
    this.ProtectDrawingObjects = !!(p && p.DrawingObjects);
    this.ProtectScenarios = !!(p && p.Scenarios);
    this.ProtectionMode = !!(p && p.UserInterfaceOnly);
    this.Protection = {};
    for (const name of ALLOWS) this.Protection[name] = !!(p && p[name]);
    this.EnableSelection = p && p.EnableSelection !== undefined ? p.EnableSelection : XL_NONE;
    this._password = (p && p.password) || "";
  }
  get Name() {
    return this._name;
  }
  set Name(name) {
    this._b._refuseStructure();
    if (this._b._sheets.some((s) => s !== this && s.Name === name)) {
      throw new Refused("已有名为“" + name + "”的工作表");
    }
    this._b._s.write("rename sheet");
    this._name = name;
  }
  get Visible() {
    return this._visible ? -1 : 0;
  }
  set Visible(v) {
    this._b._refuseStructure();
    this._b._s.write("sheet visibility");
    this._visible = !!v && v !== 0;
  }
  _cell(r, c) {
    return this._cells[r + "," + c] || { v: null, locked: true };
  }
  _put(r, c, cell) {
    this._cells[r + "," + c] = cell;
  }
  _refuseValue(r, c) {
    if (this.ProtectContents && this._cell(r, c).locked) {
      throw new Refused("单元格 " + letters(c) + r + " 受保护，拒绝写入");
    }
  }
  _refuseFormat() {
    if (this.ProtectContents && !this.Protection.AllowFormattingCells) {
      throw new Refused("工作表 " + this._name + " 受保护，拒绝设置格式");
    }
  }
  _refuseNote() {
    if (this.ProtectContents && this.ProtectDrawingObjects) {
      throw new Refused("工作表 " + this._name + " 受保护，拒绝编辑批注");
    }
  }
  Range(address) {
    const [r, c] = parseAddress(address);
    return new Range(this, r, c);
  }
  get UsedRange() {
    const keys = Object.keys(this._cells).map((k) => k.split(",").map(Number));
    const filled = keys.filter(([r, c]) => {
      const cell = this._cell(r, c);
      return cell.v !== null || cell.f || cell.fill || cell.note;
    });
    if (!filled.length) return new Block(this, 1, 1, 1, 1);
    const rows = filled.map((k) => k[0]);
    const cols = filled.map((k) => k[1]);
    const top = Math.min(...rows), left = Math.min(...cols);
    return new Block(this, top, left, Math.max(...rows) - top + 1, Math.max(...cols) - left + 1);
  }
  Activate() {
    this._b._active = this;
  }
  Delete() {
    this._b._refuseStructure();
    this._b._s.write("delete sheet");
    const sheets = this._b._sheets;
    sheets.splice(sheets.indexOf(this), 1);
    if (this._b._active === this) this._b._active = sheets[0];
  }
  Move(before) {
    this._b._refuseStructure();
    this._b._s.write("move sheet");
    const sheets = this._b._sheets;
    sheets.splice(sheets.indexOf(this), 1);
    sheets.splice(sheets.indexOf(before), 0, this);
  }
  Unprotect(password) {
    if (this._password && password !== this._password) throw new Refused("密码不正确");
    this._protect(null); // not a fault step: a protection that cannot be lifted reads as a password
  }
  Protect(password, drawing, contents, scenarios, uiOnly, ...allows) {
    this._b._s.write("protect sheet");
    const p = { DrawingObjects: drawing, Contents: contents, Scenarios: scenarios, UserInterfaceOnly: uiOnly };
    ALLOWS.forEach((name, i) => (p[name] = !!allows[i]));
    p.password = password || "";
    if (contents === undefined) p.Contents = true; // Protect() protects contents by default
    this._protect(p);
  }
}

class Block {
  constructor(sheet, row, col, rows, cols) {
    Object.assign(this, { _sh: sheet, Row: row, Column: col });
    this.Rows = { Count: rows };
    this.Columns = { Count: cols };
  }
  ClearContents() {
    const sheet = this._sh;
    const inside = [];
    for (let r = this.Row; r < this.Row + this.Rows.Count; r++) {
      for (let c = this.Column; c < this.Column + this.Columns.Count; c++) {
        const cell = sheet._cell(r, c);
        if (cell.v !== null || cell.f) {
          sheet._refuseValue(r, c);
          inside.push([r, c]);
        }
      }
    }
    sheet._b._s.write("clear contents");
    for (const [r, c] of inside) {
      const cell = sheet._cell(r, c);
      sheet._put(r, c, Object.assign({}, cell, { v: null, f: undefined }));
    }
  }
}

class Range {
  constructor(sheet, row, col) {
    Object.assign(this, { _sh: sheet, Row: row, Column: col });
  }
  get _data() {
    return this._sh._cell(this.Row, this.Column);
  }
  _set(changes, what) {
    this._sh._b._s.write(what + " " + letters(this.Column) + this.Row);
    this._sh._put(this.Row, this.Column, Object.assign({}, this._data, changes));
  }
  get Value2() {
    return this._data.v === undefined ? null : this._data.v;
  }
  set Value2(value) {
    this._sh._refuseValue(this.Row, this.Column);
    const got = interpret(value);
    this._set({ v: got.v, f: got.f }, "value");
  }
  get Formula() {
    const d = this._data;
    if (d.f) return d.f;
    return d.v === null || d.v === undefined ? "" : String(d.v);
  }
  set Formula(value) {
    this.Value2 = value;
  }
  get HasFormula() {
    return !!this._data.f;
  }
  get Interior() {
    const range = this;
    return {
      get Color() {
        return range._data.fill ? hexToBgr(range._data.fill) : 16777215;
      },
      set Color(bgr) {
        range._sh._refuseFormat();
        range._set({ fill: bgrToHex(bgr) }, "fill");
      },
      get ColorIndex() {
        return range._data.fill ? 1 : XL_NONE;
      },
      set ColorIndex(index) {
        if (index !== XL_NONE) throw new Error("the stand-in sets ColorIndex to xlNone only");
        range._sh._refuseFormat();
        range._set({ fill: null }, "fill");
      },
    };
  }
  get Comment() {
    if (this._data.note === null || this._data.note === undefined) return null;
    const range = this;
    return {
      Text(text) {
        if (text === undefined) return range._data.note;
        range._sh._refuseNote();
        range._set({ note: text }, "note text");
        return text;
      },
      Delete() {
        range._sh._refuseNote();
        range._set({ note: null }, "delete note");
      },
    };
  }
  AddComment(text) {
    this._sh._refuseNote();
    if (this._data.note !== null && this._data.note !== undefined) {
      throw new Refused("单元格已有批注");
    }
    this._set({ note: text }, "add note");
    return this.Comment;
  }
  Select() {
    this._sh._b._selected = this._sh.Name + "!" + letters(this.Column) + this.Row;
  }
}

/* The workbook as JSON (the harness's format); cells holding nothing are left out. */
function dump(book) {
  return {
    name: book.Name,
    path: book.Path,
    active: book._sheets.indexOf(book._active),
    protection:
      book.ProtectStructure || book.ProtectWindows
        ? { Structure: book.ProtectStructure, Windows: book.ProtectWindows, password: book._password }
        : null,
    sheets: book._sheets.map((sheet) => {
      const cells = {};
      for (const [key, cell] of Object.entries(sheet._cells)) {
        const [r, c] = key.split(",").map(Number);
        const kept = {};
        if (cell.v !== null && cell.v !== undefined) kept.v = cell.v;
        if (cell.f) kept.f = cell.f;
        if (cell.fill) kept.fill = cell.fill;
        if (cell.note !== null && cell.note !== undefined) kept.note = cell.note;
        if (Object.keys(kept).length) {
          kept.locked = cell.locked !== false;
          cells[letters(c) + r] = kept;
        }
      }
      const protection = sheet.ProtectContents
        ? Object.assign(
            {
              DrawingObjects: sheet.ProtectDrawingObjects,
              Contents: true,
              Scenarios: sheet.ProtectScenarios,
              UserInterfaceOnly: sheet.ProtectionMode,
              EnableSelection: sheet.EnableSelection,
              password: sheet._password,
            },
            sheet.Protection
          )
        : null;
      return { name: sheet.Name, visible: sheet._visible, cells: cells, protection: protection };
    }),
  };
}

module.exports = { Session, dump, InjectedFault, Refused, classes: { Workbook } };
