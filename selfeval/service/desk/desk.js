// The desk: upload forms, see their findings in place, download what the service writes.
// Every text from a workbook goes into the page as textContent, never as HTML.
"use strict";

const SEVERITIES = [
  ["error", "错误"],
  ["warning", "警告"],
  ["info", "提示"],
];
const state = { uploads: [], forms: [], sheets: new Map(), chosen: null };
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

function say(text, ok) {
  const box = $("message");
  box.textContent = text;
  box.className = ok ? "message ok" : "message";
  box.hidden = !text;
}

function progress(done, total, what) {
  $("progress").hidden = total === 0;
  $("progress-fill").style.width = total ? `${(100 * done) / total}%` : "0";
  $("progress-text").textContent = what || `已校验 ${done} / ${total} 个文件`;
  $("progress").classList.toggle("done", done >= total);
}

async function post(path, files, fields) {
  const body = new FormData();
  for (const file of files) body.append("file", file, file.name);
  if ($("profile").value) body.append("profile", $("profile").value);
  for (const [key, value] of Object.entries(fields || {})) body.append(key, value);
  const response = await fetch(path, { method: "POST", body });
  if (!response.ok) throw new Error(await reason(response));
  return response;
}

async function reason(response) {
  try {
    const data = await response.json();
    if (data && data.error) return data.error;
  } catch (e) {
    /* not JSON: said below */
  }
  return `服务返回错误（${response.status}）`;
}

// -- checking ---------------------------------------------------------------------------

async function check(files) {
  state.uploads = files;
  state.forms = [];
  state.sheets = new Map();
  state.chosen = null;
  say("");
  $("forms").replaceChildren();
  $("summary").hidden = true;
  let done = 0;
  progress(0, files.length, files.some(isZip) ? "正在校验压缩包中的自评表…" : null);
  for (const file of files) {
    try {
      const [results, pictures] = await Promise.all([
        post("/api/validate", [file]).then((r) => r.json()),
        post("/api/sheets", [file]).then((r) => r.json()).catch(() => ({ files: [] })),
      ]);
      for (const picture of pictures.files) state.sheets.set(picture.file, picture.sheets);
      for (const result of results) addForm(result, file);
    } catch (error) {
      say(`${file.name}：${error.message}`);
    }
    done += 1;
    progress(done, files.length);
  }
  summarise();
  $("help").hidden = state.forms.length > 0;
  if (state.forms.length) choose(0);
}

function isZip(file) {
  return file.name.toLowerCase().endsWith(".zip");
}

function count(result, severity) {
  return result.findings.filter((f) => f.severity === severity).length;
}

function addForm(result, upload) {
  const index = state.forms.length;
  state.forms.push({ result, upload });
  const errors = count(result, "error");
  const warnings = count(result, "warning");
  const place = result.source.sheet
    ? `${result.source.file}［${result.source.sheet}${result.source.row ? ` 第 ${result.source.row} 行` : ""}］`
    : result.source.file;
  const badges = [];
  if (errors) badges.push(el("span", { class: "badge error" }, `错误 ${errors}`));
  if (warnings) badges.push(el("span", { class: "badge warning" }, `警告 ${warnings}`));
  if (!errors && !warnings) badges.push(el("span", { class: "badge fine" }, "无错误"));
  const item = el(
    "li",
    { onclick: () => choose(index), "data-index": String(index) },
    el("span", { class: "name" }, result.project || (result.computed ? "（未填项目名称）" : "无法读取的文件"), el("span", { class: "file" }, place)),
    ...badges,
  );
  $("forms").append(item);
}

function summarise() {
  const forms = state.forms.map((f) => f.result);
  const several = state.uploads.length > 1 || state.uploads.some(isZip);
  $("summary").hidden = !several || forms.length === 0;
  if (!forms.length) return;
  const errors = forms.reduce((n, r) => n + count(r, "error"), 0);
  const warnings = forms.reduce((n, r) => n + count(r, "warning"), 0);
  const unreadable = forms.filter((r) => r.computed === null).length;
  const clean = forms.filter((r) => r.computed !== null && count(r, "error") === 0).length;
  let line = `共 ${forms.length} 份：错误 ${errors} 项，警告 ${warnings} 项；没有错误的 ${clean} 份`;
  if (unreadable) line += `，${unreadable} 份无法读取`;
  $("summary-line").textContent = line;
}

// -- one form ---------------------------------------------------------------------------

function choose(index) {
  state.chosen = index;
  const { result, upload } = state.forms[index];
  for (const li of $("forms").children) li.classList.toggle("chosen", li.dataset.index === String(index));
  $("empty").hidden = true;
  $("form").hidden = false;
  $("form-title").textContent = result.project || (result.computed ? "（未填项目名称）" : "无法读取的文件");
  const source = result.source;
  $("form-place").textContent = source.sheet
    ? `${source.file}　工作表“${source.sheet}”${source.row ? ` 第 ${source.row} 行起` : ""}`
    : source.file;
  const rescorable = result.computed !== null && !isZip(upload);
  $("get-rescored").disabled = !rescorable;
  $("get-rescored").title = isZip(upload) ? "压缩包中的表请单独上传后重新评分" : "";
  showTotals(result);
  showFindings(result);
  showSheet(result, null);
}

function showTotals(result) {
  const box = $("totals");
  box.replaceChildren();
  const c = result.computed;
  if (c) {
    box.append(
      el("div", { class: "total" }, "按填报得分", el("b", {}, figure(c.total)), el("span", { class: "grade" }, c.grade ? `（${c.grade}）` : "")),
      el("div", { class: "total" }, "按规则应得", el("b", {}, figure(c.total_by_rules)), el("span", { class: "grade" }, c.grade_by_rules ? `（${c.grade_by_rules}）` : "")),
    );
    if (result.stated && result.stated.total !== null) {
      box.append(el("div", { class: "total" }, "表上填写的总分", el("b", {}, figure(result.stated.total))));
    }
  }
  const counts = el("div", { class: "total counts" });
  for (const [severity, label] of SEVERITIES) counts.append(el("span", {}, `${label} ${count(result, severity)}`));
  box.append(counts);
}

function figure(value) {
  return typeof value === "number" ? value.toFixed(2) : value === null ? "—" : String(value);
}

function showFindings(result) {
  const box = $("findings");
  box.replaceChildren();
  if (!result.findings.length) {
    box.append(el("p", { class: "none" }, "✓ 未发现问题"));
    return;
  }
  for (const [severity, label] of SEVERITIES) {
    const found = result.findings.filter((f) => f.severity === severity);
    if (!found.length) continue;
    box.append(el("h3", { class: severity }, `${label}（${found.length}）`));
    for (const f of found) {
      const where = f.cell ? (f.sheet ? `${f.sheet}!${f.cell}` : f.cell) : "—";
      const row = el(
        "div",
        { class: `finding ${severity}`, tabindex: "0", title: "点击在表格中查看该单元格" },
        el("span", { class: "cell" }, f.cell || "—"),
        el("span", { class: "text" }, f.message, el("span", { class: "code" }, `${f.code}　${where}`)),
      );
      const show = () => {
        for (const other of box.querySelectorAll(".finding.chosen")) other.classList.remove("chosen");
        row.classList.add("chosen");
        showSheet(result, f);
      };
      row.addEventListener("click", show);
      row.addEventListener("keydown", (e) => {
        if (e.key === "Enter") show();
      });
      box.append(row);
    }
  }
}

function position(cell) {
  const m = /^\$?([A-Z]{1,3})\$?(\d+)/.exec(cell || "");
  if (!m) return null;
  let column = 0;
  for (const ch of m[1]) column = column * 26 + (ch.charCodeAt(0) - 64);
  return [Number(m[2]), column];
}

function letters(column) {
  let out = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

function showSheet(result, chosen) {
  const box = $("sheet");
  const sheets = state.sheets.get(result.source.file) || [];
  const name = (chosen && chosen.sheet) || result.source.sheet;
  const grid = sheets.find((s) => s.sheet === name) || (name ? null : sheets[0]);
  if (!grid) {
    $("sheet-name").textContent = "";
    box.replaceChildren(el("p", { class: "small" }, "　没有可显示的表格"));
    return;
  }
  $("sheet-name").textContent = `工作表“${grid.sheet}”（标色的是有问题的单元格，点击左侧问题查看）`;
  const marks = new Map();
  for (const f of result.findings) {
    const at = position(f.cell);
    if (!at || (f.sheet && f.sheet !== grid.sheet)) continue;
    const key = at.join(",");
    const rank = { error: 0, warning: 1, info: 2 };
    if (!marks.has(key) || rank[f.severity] < rank[marks.get(key)]) marks.set(key, f.severity);
  }
  const [top, left] = grid.origin;
  const width = Math.max(0, ...grid.rows.map((r) => r.length));
  const head = el("tr", {}, el("th", {}));
  for (let c = 0; c < width; c++) head.append(el("th", {}, letters(left + c)));
  const body = el("tbody");
  const target = chosen ? position(chosen.cell) : null;
  let focus = null;
  grid.rows.forEach((values, r) => {
    const tr = el("tr", {}, el("th", {}, String(top + r)));
    for (let c = 0; c < width; c++) {
      const text = values[c] || "";
      const td = el("td", { title: text }, text);
      const key = `${top + r},${left + c}`;
      if (marks.has(key)) td.classList.add(marks.get(key));
      if (target && target[0] === top + r && target[1] === left + c) {
        td.classList.add("chosen");
        focus = td;
      }
      tr.append(td);
    }
    body.append(tr);
  });
  box.replaceChildren(el("table", {}, el("thead", {}, head), body));
  if (focus) focus.scrollIntoView({ block: "center", inline: "nearest" });
}

// -- downloads --------------------------------------------------------------------------

async function save(button, path, files, fields) {
  const before = button.textContent;
  button.disabled = true;
  button.textContent = "正在生成…";
  try {
    const response = await post(path, files, fields);
    keep(await response.blob(), filename(response) || "下载");
    say("");
  } catch (error) {
    say(error.message);
  } finally {
    button.disabled = false;
    button.textContent = before;
  }
}

function filename(response) {
  const header = response.headers.get("Content-Disposition") || "";
  const m = /filename\*=UTF-8''([^;]+)/i.exec(header);
  return m ? decodeURIComponent(m[1]) : null;
}

function keep(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function template() {
  const profile = $("profile").value ? `&profile=${encodeURIComponent($("profile").value)}` : "";
  const url = `/api/template?layout=${encodeURIComponent($("layout").value)}${profile}`;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(await reason(response));
    keep(await response.blob(), filename(response) || "模板.xlsx");
  } catch (error) {
    say(error.message);
  }
}

// -- wiring -----------------------------------------------------------------------------

function wire() {
  const drop = $("drop");
  const pick = $("pick");
  drop.addEventListener("click", () => pick.click());
  drop.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " ") pick.click();
  });
  pick.addEventListener("change", () => {
    if (pick.files.length) check([...pick.files]);
    pick.value = "";
  });
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer.files.length) check([...e.dataTransfer.files]);
  });
  $("get-rescored").addEventListener("click", () => {
    const { upload } = state.forms[state.chosen];
    save($("get-rescored"), "/api/rescore", [upload]);
  });
  $("get-report").addEventListener("click", () => save($("get-report"), "/api/report", state.uploads));
  $("get-review").addEventListener("click", () => save($("get-review"), "/api/review", state.uploads));
  $("get-sample").addEventListener("click", () =>
    save($("get-sample"), "/api/sample", state.uploads, { n: $("sample-n").value, seed: $("sample-seed").value }),
  );
  $("get-template").addEventListener("click", template);
  $("profile").addEventListener("change", () => {
    if (state.uploads.length) check(state.uploads);
  });
}

document.addEventListener("DOMContentLoaded", wire);
