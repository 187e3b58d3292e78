/*
 * Runs the WPS add-in's scripts under node's vm against the stand-in object model
 * (standin.js), as WPS runs them in its page: the scripts index.html loads, in order, in
 * one global scope with window.Application. Driven by tests/test_wps_addin.py:
 *
 *   node tests/wps/run.js scenario.json   ->  prints one JSON object
 *
 * scenario: {workbook (harness JSON, or null: no workbook open), scripts: [paths],
 * service (URL), savecopy: {python, args, cwd}, tmpdir, steps: [...]}, each step one of
 *   {press: controlId}    the button, as the ribbon calls it; reports its message,
 *                         the writes made and the workbook after
 *   {faults: action}      the service's plan of `action` applied again and again, the
 *                         n-th write failing each time, on the workbook as it is
 *   {apply: action, blind} the service's plan applied directly (blind: the plan's word on
 *                         protection dropped, so that only the object model refuses)
 *   {ribbon: controlId}   the ribbon loaded with no workbook, then one opened: the
 *                         button's enabled state before and after, and its image
 *   {globals: [names]}    which of these names are global functions of the scripts
 *   {pane: true}          the task pane's findings, and going to the first one's cell
 */
"use strict";

const fs = require("fs");
const vm = require("vm");
const { Session, dump } = require("./standin.js");

async function main() {
  const scenario = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const session = new Session(scenario.workbook, {
    tmpdir: scenario.tmpdir,
    savecopy: scenario.savecopy,
  });
  const context = {
    Application: session.app,
    alert: (message) => session.alerts.push(String(message)),
    fetch: fetch,
    FormData: FormData,
    Blob: Blob,
    console: console,
    setTimeout: setTimeout,
    Promise: Promise,
    location: { protocol: "file:", host: "", href: "file:///selfeval/index.html" },
  };
  context.window = context;
  vm.createContext(context);
  for (const script of scenario.scripts) {
    vm.runInContext(fs.readFileSync(script, "utf8"), context, { filename: script });
  }
  context.SELFEVAL_CONFIG.service = scenario.service;
  // The task pane is a page of its own, with the same Application and PluginStorage.
  const pane = { Application: session.app, console: console };
  pane.window = pane;
  vm.createContext(pane);
  for (const script of scenario.pane_scripts) {
    vm.runInContext(fs.readFileSync(script, "utf8"), pane, { filename: script });
  }
  context.pane = pane;
  const out = [];
  for (const step of scenario.steps) out.push(await run(step, session, context));
  process.stdout.write(JSON.stringify(out));
}

async function run(step, session, context) {
  if (step.press) {
    session.alerts = [];
    session.writes = 0;
    context.OnAction({ Id: step.press }); // as the ribbon calls it; the work goes on async
    await context.SelfevalAddin.running();
    const book = session.app.ActiveWorkbook;
    return {
      press: step.press,
      alerts: session.alerts,
      writes: session.writes,
      workbook: book ? dump(book) : null,
      app: { ScreenUpdating: session.app.ScreenUpdating, Calculation: session.app.Calculation },
    };
  }
  if (step.faults) {
    const plan = await context.SelfevalAddin.plan(step.faults);
    const before = dump(session.app.ActiveWorkbook);
    const tries = [];
    for (let n = 1; ; n++) {
      const { Workbook } = require("./standin.js").classes;
      const book = new Workbook(session, JSON.parse(JSON.stringify(before)));
      session.app.ActiveWorkbook = book;
      session.writes = 0;
      session.faultAt = n;
      const result = context.SelfevalPlan.apply(session.app, book, plan);
      const reached = session.writes >= n;
      session.faultAt = 0;
      if (!reached) {
        tries.push({ n: n, ok: result.ok, completed: true });
        break;
      }
      tries.push({
        n: n,
        ok: result.ok,
        message: result.message || "",
        same: JSON.stringify(dump(book)) === JSON.stringify(before),
      });
    }
    session.app.ActiveWorkbook = new (require("./standin.js").classes.Workbook)(session, before);
    return { faults: step.faults, writes: plan.writes.length, tries: tries };
  }
  if (step.apply) {
    // the plan applied directly; `blind`: without what the saved copy says of protection,
    // so that only the object model's refusals stop it
    const plan = await context.SelfevalAddin.plan(step.apply);
    if (step.blind) delete plan.protection;
    const before = dump(session.app.ActiveWorkbook);
    const result = context.SelfevalPlan.apply(session.app, session.app.ActiveWorkbook, plan);
    const after = dump(session.app.ActiveWorkbook);
    return { apply: step.apply, result: result, same: JSON.stringify(after) === JSON.stringify(before) };
  }
  if (step.ribbon) {
    // the ribbon loads with no workbook open, then one is opened
    const ui = { invalidated: 0, Invalidate() { this.invalidated += 1; } };
    context.OnAddinLoad(ui);
    const control = { Id: step.ribbon };
    const book = session.app.ActiveWorkbook;
    session.app.ActiveWorkbook = null;
    const without = context.OnGetEnabled(control);
    session.app.ActiveWorkbook = book;
    (session.app._listeners.WorkbookOpen || []).forEach((handler) => handler(book));
    return {
      without: without,
      with: context.OnGetEnabled(control),
      invalidated: ui.invalidated,
      image: context.GetImage(control),
    };
  }
  if (step.globals) {
    return { globals: step.globals.filter((name) => typeof context[name] === "function") };
  }
  if (step.pane) {
    const items = context.pane.SelfevalPane.items();
    const went = items.length ? context.pane.SelfevalPane.goTo(items[0]) : false;
    const book = session.app.ActiveWorkbook;
    return { pane: items, went: went, selected: book ? book._selected || null : null };
  }
  throw new Error("unknown step " + JSON.stringify(step));
}

main().catch((error) => {
  process.stderr.write(String((error && error.stack) || error) + "\n");
  process.exit(1);
});
