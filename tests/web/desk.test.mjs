// The web desk in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
// against the real target/debug/aduan-server on loopback, with phones driven by the CLI
// (target/debug/aduan). Every page is checked with axe-core (WCAG 2.2 AA) and photographed
// in both languages under target/web-screenshots/; page weights go to weights.txt there.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, appendFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = (name) => join(root, "target", "debug", name);
const shots = join(root, "target", "web-screenshots");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const PASSWORD = "aduan-demo";
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

let server, base, work, browser;

// A real aduan-server with demo accounts in its own data folder under `work`, on loopback.
async function startServer(name, ...extra) {
  const proc = spawn(bin("aduan-server"), ["--data", join(work, name), "serve", "--demo", "--listen", "127.0.0.1:0", ...extra], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, RUST_LOG: "warn" },
  });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[0-9.:]+)/);
      if (m) resolve(m[1]);
    });
    proc.on("exit", (code) => reject(new Error(`aduan-server exited with ${code}`)));
  });
  return { proc, base: url };
}
const phone = {};

function cli(store, ...args) {
  return cliAt(base, store, ...args);
}

function cliAt(server, store, ...args) {
  return execFileSync(bin("aduan"), ["--store", join(work, store), ...args], {
    env: { ...process.env, ADUAN_SERVER: server, ADUAN_PASSWORD: PASSWORD, ADUAN_LANG: "en" },
    encoding: "utf8",
  });
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), "aduan-desk-"));
  mkdirSync(shots, { recursive: true });
  writeFileSync(join(shots, "weights.txt"), "page\thtml+css+js gzip bytes\tall resources gzip bytes\n");
  ({ proc: server, base } = await startServer("server"));
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
  // A citizen files from the app; their phone syncs it to the server.
  cli("hp-warga", "login", "--account", "warga");
  const filed = JSON.parse(
    cli("hp-warga", "file", "--json", "--category", "pu.drainase", "--title", "Selokan tersumbat di Jalan Mangasa",
      "--description", "Air meluap ke jalan setiap hujan", "--kelurahan", "Mangasa", "--kecamatan", "Tamalate"),
  );
  phone.id = filed.summary.id;
  phone.tracking = filed.summary.tracking_id;
  cli("hp-warga", "sync");
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  if (work) rmSync(work, { recursive: true, force: true });
});

async function signedIn(account) {
  const context = await browser.newContext({ bypassCSP: true, locale: "id-ID", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/desk/sign-in`);
  await page.fill("#account", account);
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForURL(`${base}/desk`), page.click("form.stack button[type=submit]")]);
  return page;
}

async function accessible(page, name) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: "tag", values: tags } });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }, WCAG);
  assert.deepEqual(result, [], `WCAG 2.2 AA violations on ${name}`);
}

// What a first visit costs: every response of a fresh load, gzip-compressed as a server or
// proxy would send it (the live feed's stream excluded).
async function weigh(page, name) {
  const context = await browser.newContext({ storageState: await page.context().storageState() });
  const fresh = await context.newPage();
  const bodies = [];
  fresh.on("response", (r) => {
    if (!r.url().includes("/desk/events")) bodies.push(r.body().then((b) => ({ url: r.url(), b })).catch(() => null));
  });
  await fresh.goto(page.url(), { waitUntil: "load" });
  const got = (await Promise.all(bodies)).filter(Boolean);
  const gz = (b) => gzipSync(b).length;
  const text = got.filter((x) => !x.url.includes("/desk/photos/")).reduce((n, x) => n + gz(x.b), 0);
  const all = got.reduce((n, x) => n + gz(x.b), 0);
  appendFileSync(join(shots, "weights.txt"), `${name}\t${text}\t${all}\n`);
  await context.close();
  assert.ok(all < 200 * 1024, `${name} costs ${all} bytes compressed on first load`);
}

// The page in both languages, switched with its own link: checked, photographed, weighed.
async function everyLanguage(page, name) {
  await page.waitForLoadState("load");
  await accessible(page, `${name} (id)`);
  await page.screenshot({ path: join(shots, `${name}-id.png`), fullPage: true });
  await Promise.all([page.waitForNavigation(), page.click("header .tools a[hreflang=en]")]);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  await accessible(page, `${name} (en)`);
  await page.screenshot({ path: join(shots, `${name}-en.png`), fullPage: true });
  await weigh(page, name);
  await Promise.all([page.waitForNavigation(), page.click("header .tools a[hreflang=id]")]);
  assert.equal(await page.getAttribute("html", "lang"), "id");
}

// The same page on a cheap phone's screen.
async function onAPhone(page, name) {
  const wide = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 740 });
  await accessible(page, `${name} (phone)`);
  await page.screenshot({ path: join(shots, `${name}-phone-id.png`), fullPage: true });
  await page.setViewportSize(wide);
}

// A PNG the browser draws (a plain field with a band across it), as a camera would give one.
async function drawPng(page, width, height, field, band) {
  const data = await page.evaluate(([w, h, f, b]) => {
    const c = document.createElement("canvas");
    c.width = w;
    c.height = h;
    const g = c.getContext("2d");
    g.fillStyle = f;
    g.fillRect(0, 0, w, h);
    g.fillStyle = b;
    g.fillRect(w / 8, (h * 5) / 12, (w * 3) / 4, h / 6);
    return c.toDataURL("image/png").split(",")[1];
  }, [width, height, field, band]);
  return Buffer.from(data, "base64");
}

async function act(page, action, fill) {
  const form = `form#action-${action}`;
  if (fill) await fill(form);
  await Promise.all([page.waitForNavigation(), page.click(`${form} button[type=submit]`)]);
}

test("sign-in page, in both languages, refuses a wrong password", async () => {
  const context = await browser.newContext({ bypassCSP: true, locale: "id-ID" });
  const page = await context.newPage();
  await page.goto(`${base}/desk`);
  assert.match(page.url(), /\/desk\/sign-in$/, "the desk asks to sign in first");
  await everyLanguage(page, "sign-in");
  await page.fill("#account", "admin-nasional");
  await page.fill("#password", "not-the-password");
  await page.click("form.stack button[type=submit]");
  await page.waitForSelector("#sign-in-error");
  assert.match(await page.textContent("#sign-in-error"), /salah/);
  await context.close();
});

test("the national administrator verifies and dispatches a phone's complaint", async () => {
  const page = await signedIn("admin-nasional");
  const row = page.locator(`tr[data-complaint="${phone.id}"]`);
  assert.equal(await row.count(), 1, "the phone's complaint waits in the national inbox");
  await everyLanguage(page, "inbox");
  await onAPhone(page, "inbox");
  // Search and filters are GET links.
  await page.goto(`${base}/desk?q=${encodeURIComponent("mangasa")}&category=pu&status=submitted`);
  assert.equal(await page.locator(`tr[data-complaint="${phone.id}"]`).count(), 1);
  await page.goto(`${base}/desk?q=tidak-ada-yang-begini`);
  assert.equal(await page.locator("tr[data-complaint]").count(), 0);
  await page.goto(`${base}/desk`);
  await Promise.all([page.waitForNavigation(), page.click(`tr[data-complaint="${phone.id}"] a`)]);
  await everyLanguage(page, "complaint-national");
  assert.equal(await page.inputValue("form#action-dispatch select[name=institution]"), "kota-makassar",
    "core's routing suggests the village's city");
  await act(page, "dispatch", (f) => page.selectOption(`${f} select[name=institution]`, "kota-makassar"));
  assert.match(await page.textContent("#live-status"), /Tersimpan/);
  assert.match(await page.textContent(".facts"), /Didisposisikan ke instansi/);
  assert.match(await page.textContent("#timeline"), /Didisposisikan: Pemerintah Kota Makassar/);
  // A phone sees the desk's step as it sees any other.
  cli("hp-warga", "sync");
  assert.match(cli("hp-warga", "show", phone.tracking), /Dispatched to institution/);
  await page.context().close();
});

test("the institution administrator assigns it to a unit; a step not allowed shows the phone's refusal", async () => {
  const page = await signedIn("admin-makassar");
  await page.goto(`${base}/desk/complaints/${phone.id}`);
  await act(page, "assign", (f) => page.selectOption(`${f} select[name=unit]`, "kota-makassar.dpu"));
  assert.match(await page.textContent(".facts"), /Diteruskan ke unit/);
  await page.context().close();
});

test("an officer of another institution finds nothing there", async () => {
  const page = await signedIn("admin-samarinda");
  assert.equal(await page.locator(`tr[data-complaint="${phone.id}"]`).count(), 0);
  const response = await page.goto(`${base}/desk/complaints/${phone.id}`);
  assert.equal(response.status(), 404);
  assert.doesNotMatch(await page.content(), /Selokan tersumbat/);
  await page.context().close();
});

let officer;
test("an officer starts work and follows up with a photo", async () => {
  officer = await signedIn("petugas");
  assert.equal(await officer.locator(`tr[data-complaint="${phone.id}"]`).count(), 1, "assigned work waits for the unit's officer");
  await officer.goto(`${base}/desk/complaints/${phone.id}`);
  await act(officer, "start_work");
  assert.match(await officer.textContent(".facts"), /Sedang diproses/);
  // A follow-up without its note is refused by the browser; one with a note and a photo goes.
  const photo = join(work, "selokan-bersih.png");
  writeFileSync(photo, await drawPng(officer, 640, 480, "#2d6a4f", "#ffffff"));
  await act(officer, "follow_up", async (f) => {
    await officer.fill(`${f} textarea[name=note]`, "Selokan sudah dibersihkan");
    await officer.setInputFiles(`${f} input[type=file]`, photo);
  });
  assert.match(await officer.textContent(".facts"), /Sudah ditindaklanjuti/);
  const evidence = officer.locator("#timeline img");
  assert.equal(await evidence.count(), 1, "the evidence photo is in the timeline");
  assert.ok(await evidence.evaluate((img) => img.complete && img.naturalWidth > 0), "and it loads");
  await everyLanguage(officer, "complaint-followed-up");
  await onAPhone(officer, "complaint-followed-up");
});

test("a phone's reply appears on the open complaint page without reloading", async () => {
  await officer.evaluate(() => { window.sameDocument = true; });
  // The page is listening before the phone acts.
  await officer.waitForFunction(() => document.querySelector("#live-status") !== null);
  cli("hp-warga", "sync");
  cli("hp-warga", "reply", phone.tracking, "Terima kasih, sudah bersih");
  cli("hp-warga", "sync");
  await officer.waitForFunction(() => document.querySelector("#timeline").textContent.includes("Terima kasih, sudah bersih"));
  assert.equal(await officer.evaluate(() => window.sameDocument), true, "updated in place, not reloaded");
  await officer.context().close();
});

test("an operator files a caller's complaint and reads back its tracking id", async () => {
  const page = await signedIn("penghubung");
  await page.goto(`${base}/desk/intake`);
  await everyLanguage(page, "intake");
  await page.check("#channel-call_centre");
  await page.fill("#name", "Daeng Rahman");
  await page.fill("#phone", "081234567890");
  await page.fill("#category", "pu.drainase");
  await page.fill("#title", "Gorong-gorong ambruk");
  await page.fill("#description", "Gorong-gorong di depan masjid ambruk sejak kemarin");
  const village = await page.$eval("#village", (s) => [...s.options].find((o) => o.textContent.startsWith("Mangasa")).value);
  await page.selectOption("#village", village);
  await page.fill("#address", "Depan Masjid Nurul Iman");
  await Promise.all([page.waitForNavigation(), page.click("form.intake button[type=submit]")]);
  const tracking = (await page.textContent("#tracking-id")).trim();
  assert.match(tracking, /^ADU-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  assert.equal(await page.locator("#filed a[href^='/desk/complaints/']").count(), 1, "a link to what was filed");
  await everyLanguage(page, "intake-filed");
  // The caller follows it by that id, without an account.
  const tracked = JSON.parse(cli("hp-caller", "track", tracking, "--json"));
  assert.equal(tracked.tracking_id, tracking);
  assert.equal(tracked.institution_id, "kota-makassar", "the operator's institution holds it from the start");
  // The operator's institution holds it, with the caller's contact for its handlers.
  await page.goto(`${base}/desk?scope=all&q=${tracking}&channel=call_centre`);
  const rows = page.locator("tr[data-complaint]");
  assert.equal(await rows.count(), 1);
  await Promise.all([page.waitForNavigation(), rows.first().locator("a").click()]);
  assert.match(await page.textContent("#reporter"), /Daeng Rahman/);
  assert.match(await page.textContent("#reporter"), /operator/);
  await page.context().close();
});

test("a citizen without an account follows a report by its tracking id and browses public reports", async () => {
  const context = await browser.newContext({ bypassCSP: true, locale: "id-ID", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/public?area=mangasa`);
  assert.equal(await page.locator(`#public-list a[href$="${phone.tracking}"]`).count(), 1, "the phone's report is public");
  await everyLanguage(page, "public-list");
  await page.fill("#id", phone.tracking.toLowerCase());
  await Promise.all([page.waitForNavigation(), page.click("form.track button")]);
  assert.match(await page.textContent(".public-complaint"), /Tindak lanjut/);
  assert.match(await page.textContent(".public-complaint"), /Selokan sudah dibersihkan/, "the institution's follow-up is public");
  await everyLanguage(page, "public-track");
  await onAPhone(page, "public-track");
  // Nothing personal reaches a public page.
  await page.goto(`${base}/public`);
  const html = await page.content();
  for (const secret of ["Daeng Rahman", "081234567890", "Gorong-gorong", "Air meluap"]) {
    assert.ok(!html.includes(secret), `${secret} on the public list`);
  }
  await context.close();
});

test("the national administrator merges a repeated report into the one core suggests it repeats", async () => {
  const again = JSON.parse(
    cli("hp-warga", "file", "--json", "--category", "pu.drainase", "--title", "Selokan tersumbat lagi di Jalan Mangasa",
      "--description", "Air meluap ke jalan lagi setiap hujan", "--kelurahan", "Mangasa", "--kecamatan", "Tamalate"),
  );
  cli("hp-warga", "sync");
  const page = await signedIn("admin-nasional");
  await page.goto(`${base}/desk/complaints/${again.summary.id}`);
  const suggested = page.locator(`form#action-merge_into input[type=radio][value="${phone.tracking}"]`);
  assert.equal(await suggested.count(), 1, "the report it repeats is suggested");
  assert.equal(await page.locator("form#action-merge_into input[type=radio]").count(), 1, "and nothing unlike it");
  await accessible(page, "complaint merge suggestions");
  await page.locator("form#action-merge_into").screenshot({ path: join(shots, "complaint-merge-id.png") });
  await suggested.check();
  await act(page, "merge_into");
  assert.match(await page.textContent(".facts"), /Digabung dengan laporan lain/);
  assert.match(cli("hp-warga", "sync") + cli("hp-warga", "show", again.summary.tracking_id), /Merged into another report/);
  await page.context().close();
});

test("the figures count every complaint by month and institution, follow new work, and download as CSV", async () => {
  const page = await signedIn("admin-nasional");
  const received = async () => Number((await page.textContent("#totals-received")).trim());
  const makassarRow = () => page.locator("section[aria-labelledby=groups] table.figures tbody tr", { hasText: "Pemerintah Kota Makassar" });
  await page.goto(`${base}/desk/figures?by=institution`);
  const before = await received();
  assert.ok(before >= 2, `the phone's complaint and the caller's are received: ${before}`);
  assert.equal(await makassarRow().count(), 1, "a row per institution");
  assert.equal(Number(await makassarRow().locator("td").first().textContent()), before, "all of them in Makassar");
  assert.ok(await page.locator("section[aria-labelledby=months] svg rect").count() > 0, "the months are charted");
  assert.ok(await page.locator("section[aria-labelledby=groups] svg rect").count() > 0, "the institutions are charted");
  await everyLanguage(page, "figures");
  await onAPhone(page, "figures");
  // A new report, dispatched at the desk, counts at once.
  const filed = JSON.parse(
    cli("hp-warga", "file", "--json", "--category", "lingkungan.sampah", "--title", "Sampah menumpuk di pasar",
      "--description", "Sudah seminggu tidak diangkut", "--kelurahan", "Mangasa", "--kecamatan", "Tamalate"),
  );
  cli("hp-warga", "sync");
  await page.goto(`${base}/desk/complaints/${filed.summary.id}`);
  await act(page, "dispatch", (f) => page.selectOption(`${f} select[name=institution]`, "kota-makassar"));
  await page.goto(`${base}/desk/figures?by=institution`);
  assert.equal(await received(), before + 1);
  assert.equal(Number(await makassarRow().locator("td").first().textContent()), before + 1);
  // The same table as CSV, with the totals last.
  const csv = await page.context().request.get(`${base}/desk/figures.csv?by=institution`);
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()["content-type"], /^text\/csv/);
  assert.match(csv.headers()["content-disposition"], /attachment; filename="aduan-figures-institution-/);
  const lines = (await csv.text()).trim().split("\r\n");
  assert.match(lines[0], /^Instansi,Kode,Diterima,Selesai,/);
  assert.ok(lines.some((l) => l.startsWith(`Pemerintah Kota Makassar,kota-makassar,${before + 1},`)), lines.join("\n"));
  assert.ok(lines.at(-1).startsWith(`Jumlah,,${before + 1},`), lines.at(-1));
  await page.context().close();
  // An institution's administrator sees their own institution's figures, by unit.
  const admin = await signedIn("admin-makassar");
  await admin.goto(`${base}/desk/figures`);
  assert.equal(await admin.locator("select#institution").count(), 0, "no choice of institution");
  assert.equal(await admin.locator("select#by option[value=institution]").count(), 0);
  assert.equal(Number((await admin.textContent("#totals-received")).trim()), before + 1);
  const other = await admin.context().request.get(`${base}/desk/figures.csv?institution=kota-samarinda`);
  assert.ok(!(await other.text()).includes("kota-samarinda"), "another institution's figures never reach it");
  await admin.context().close();
});

test("an officer chooses which notifications come by e-mail and to which address", async () => {
  const page = await signedIn("petugas");
  await page.goto(`${base}/desk/notifications`);
  await everyLanguage(page, "notifications");
  const byEmail = "#on-new_work-email";
  assert.equal(await page.isChecked(byEmail), true, "everything is on until turned off");
  // An address the server cannot deliver to (the browser's own check lets it through) is
  // refused with the reason, and nothing is saved.
  await page.fill("#email", "budi@pu-makassar");
  await page.uncheck(byEmail);
  await Promise.all([page.waitForNavigation(), page.click("form.stack button[type=submit]")]);
  assert.match(await page.textContent("[role=alert]"), /Itu bukan alamat surel/);
  await page.goto(`${base}/desk/notifications`);
  assert.equal(await page.inputValue("#email"), "");
  assert.equal(await page.isChecked(byEmail), true);
  // A good one is saved, and read back from the server.
  await page.fill("#email", "budi@pu.makassar.go.id");
  await page.uncheck(byEmail);
  await page.check("#language-en");
  await Promise.all([page.waitForNavigation(), page.click("form.stack button[type=submit]")]);
  assert.match(await page.textContent("#saved"), /tersimpan/);
  assert.equal(await page.inputValue("#email"), "budi@pu.makassar.go.id");
  assert.equal(await page.isChecked(byEmail), false);
  assert.equal(await page.isChecked("#on-new_work-phone"), true, "the phone keeps it");
  assert.equal(await page.isChecked("#language-en"), true);
  // The same preferences the apps and the API read.
  const token = (await page.context().cookies()).find((c) => c.name === "aduan_desk").value;
  const api = await page.context().request.get(`${base}/v1/notifications/preferences`, { headers: { authorization: `Bearer ${token}` } });
  const prefs = await api.json();
  assert.equal(prefs.email, "budi@pu.makassar.go.id");
  assert.equal(prefs.language, "en");
  assert.equal(prefs.choices.find((c) => c.kind === "new_work" && c.channel === "email").enabled, false);
  await page.context().close();
});

test("a citizen reports on the web without an account, with a photo, and follows, replies and rates", async () => {
  const context = await browser.newContext({ bypassCSP: true, locale: "id-ID", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  // From the public pages to the report form, through "report without an account".
  await page.goto(`${base}/public`);
  await Promise.all([page.waitForNavigation(), page.click("header nav a[href='/desk/report']")]);
  assert.match(page.url(), /\/desk\/sign-in$/);
  await Promise.all([page.waitForURL(`${base}/desk/report`), page.click("form[action='/desk/without-account'] button")]);
  await everyLanguage(page, "citizen-report");
  await onAPhone(page, "citizen-report");
  await page.fill("#category", "pu.drainase");
  await page.fill("#title", "Saluran air tertutup sampah di Jalan Mangasa Raya");
  await page.fill("#description", "Rumah Bu Sitti kebanjiran karena saluran di depannya tertutup sampah");
  const village = await page.$eval("#village", (s) => [...s.options].find((o) => o.textContent.startsWith("Mangasa")).value);
  await page.selectOption("#village", village);
  await page.check("#confidential");
  await page.fill("#name", "Sitti Aminah");
  await page.fill("#phone", "085299887766");
  const photo = join(work, "saluran.png");
  writeFileSync(photo, await drawPng(page, 800, 600, "#6b4f2d", "#c9b38a"));
  await page.setInputFiles("#photo", photo);
  await Promise.all([page.waitForNavigation(), page.click("form.intake button[type=submit]")]);
  assert.match(page.url(), /\/desk\/mine\?filed=ADU-/);
  const tracking = (await page.textContent("#tracking-id")).trim();
  assert.match(tracking, /^ADU-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  const row = page.locator("tr[data-complaint]", { hasText: tracking });
  assert.equal(await row.count(), 1, "it is among the citizen's reports");
  const id = await row.getAttribute("data-complaint");
  await everyLanguage(page, "citizen-mine");
  // Confidential: nothing of it on the public pages, not even by its tracking id.
  const anonymous = await browser.newContext({ bypassCSP: true, locale: "id-ID" });
  const outsider = await anonymous.newPage();
  await outsider.goto(`${base}/public`);
  await outsider.goto(`${base}/public/track?id=${tracking}`);
  for (const secret of ["Saluran air tertutup", "Sitti", "085299887766"]) {
    assert.ok(!(await outsider.content()).includes(secret), `${secret} reached a public page`);
  }
  await anonymous.close();
  // The desk works on it: the national desk sees the citizen's contact and the photo, and
  // dispatches; Makassar assigns; the unit's officer follows up.
  const national = await signedIn("admin-nasional");
  await national.goto(`${base}/desk/complaints/${id}`);
  assert.match(await national.textContent("#reporter"), /Sitti Aminah/);
  assert.match(await national.textContent(".facts"), /Situs web|Web/);
  const thumb = national.locator(".content img");
  assert.equal(await thumb.count(), 1, "the citizen's photo is there");
  assert.ok(await thumb.evaluate((img) => img.complete && img.naturalWidth > 0), "and it loads");
  await act(national, "dispatch", (f) => national.selectOption(`${f} select[name=institution]`, "kota-makassar"));
  await national.context().close();
  const admin = await signedIn("admin-makassar");
  await admin.goto(`${base}/desk/complaints/${id}`);
  await act(admin, "assign", (f) => admin.selectOption(`${f} select[name=unit]`, "kota-makassar.dpu"));
  await admin.context().close();
  // The officer starts; the citizen answers on the report's page; then watches it while the
  // officer follows up: it changes without reloading. The citizen rates the follow-up.
  await Promise.all([page.waitForNavigation(), row.locator("a").click()]);
  const worker = await signedIn("petugas");
  await worker.goto(`${base}/desk/complaints/${id}`);
  await act(worker, "start_work");
  await page.reload();
  await act(page, "reply", (f) => page.fill(`${f} textarea[name=note]`, "Mohon segera, air sudah masuk rumah"));
  assert.match(await page.textContent("#timeline"), /Mohon segera, air sudah masuk rumah/);
  await page.evaluate(() => { window.sameDocument = true; });
  await worker.reload();
  await act(worker, "follow_up", (f) => worker.fill(`${f} textarea[name=note]`, "Saluran sudah dibuka kembali"));
  await worker.context().close();
  await page.waitForFunction(() => document.querySelector("#timeline").textContent.includes("Saluran sudah dibuka kembali"));
  assert.equal(await page.evaluate(() => window.sameDocument), true, "updated in place, not reloaded");
  await page.waitForSelector("form#action-rate");
  await act(page, "rate", (f) => page.check(`${f} #stars-4`));
  assert.match(await page.textContent("#timeline"), /Penilaian: 4\/5/);
  await everyLanguage(page, "citizen-complaint");
  await onAPhone(page, "citizen-complaint");
  // A citizen has no desk: its pages send them back to their own reports.
  await page.goto(`${base}/desk`);
  assert.match(page.url(), /\/desk\/mine$/);
  await context.close();
});

test("maps: the plain offline base by default, the operator's tile server when one is configured", async () => {
  // The default server draws its own base: the phone's report on the public list's map.
  const context = await browser.newContext({ bypassCSP: false, locale: "id-ID", viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/public/track?id=${phone.tracking}`);
  assert.equal(await page.locator("figure.map svg .village").count() > 10, true, "villages' points around it");
  assert.equal(await page.locator("figure.map svg .pin").count(), 1);
  await page.locator("figure.map").screenshot({ path: join(shots, "map-offline-id.png") });
  // A tile server on loopback (serving one plain tile for every address), and a second
  // aduan-server told to use it.
  const png = await drawPng(page, 256, 256, "#dfe9d8", "#ffffff");
  const asked = [];
  const tiles = createServer((req, res) => {
    asked.push(req.url);
    if (!/^\/tiles\/\d+\/\d+\/\d+\.png$/.test(req.url)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { "content-type": "image/png" }).end(png);
  });
  await new Promise((resolve) => tiles.listen(0, "127.0.0.1", resolve));
  const tileBase = `http://127.0.0.1:${tiles.address().port}`;
  const second = await startServer("server-tiles", "--map-tiles", `${tileBase}/tiles/{z}/{x}/{y}.png`, "--map-attribution", "© Peta Uji");
  try {
    cliAt(second.base, "hp-peta", "login", "--account", "warga");
    const filed = JSON.parse(cliAt(second.base, "hp-peta", "file", "--json", "--category", "pu.drainase", "--title", "Jalan berlubang",
      "--description", "Lubang besar di tengah jalan", "--kelurahan", "Mangasa", "--kecamatan", "Tamalate"));
    cliAt(second.base, "hp-peta", "sync");
    await page.goto(`${second.base}/public/track?id=${filed.summary.tracking_id}`);
    const images = page.locator("figure.map svg image");
    assert.ok(await images.count() >= 4, "tiles cover the map");
    await page.waitForFunction(() => [...document.querySelectorAll("figure.map svg image")].length > 0);
    await page.waitForTimeout(300);
    assert.ok(asked.some((u) => u.startsWith("/tiles/")), "the browser fetched tiles from the configured server");
    assert.match(await page.textContent("figure.map figcaption"), /© Peta Uji/);
    assert.equal(await page.locator("figure.map svg .village").count(), 0, "no offline base under tiles");
    await page.locator("figure.map").screenshot({ path: join(shots, "map-tiles-id.png") });
  } finally {
    second.proc.kill("SIGTERM");
    tiles.close();
    await context.close();
  }
});

test("signing out ends the session", async () => {
  const page = await signedIn("admin-nasional");
  await Promise.all([page.waitForNavigation(), page.click("header form button")]);
  assert.match(page.url(), /\/desk\/sign-in$/);
  await page.goto(`${base}/desk`);
  assert.match(page.url(), /\/desk\/sign-in$/);
  await page.context().close();
});
