// The sign-in as a person does it: ondevice-sandbox without --auto-approve,
// `ondevice-cli connect --no-browser`, and the printed address opened in
// Debian's Chromium (over the DevTools protocol) and Firefox ESR (over WebDriver BiDi). Qt and curl clients
// ignore Content-Security-Policy; a browser applies it to the consent form's
// POST and to every redirect after it, so only a browser can tell that Allow
// and Deny reach the app.
//
// Run by ctest (`browser_signin_chromium`, `browser_signin_firefox`) inside ./dev test's private D-Bus session
// and keyring, offline. Environment:
//   ONDEVICE_SANDBOX_EXE, ONDEVICE_CLI_EXE   the programs under test
//   ONDEVICE_BROWSER                          chromium (default) or firefox
//   ONDEVICE_BROWSER_EXE                      the browser's program (default /usr/bin/chromium, /usr/bin/firefox-esr)
//   ONDEVICE_SCREENSHOT_DIR                   where the consent and callback pages are saved (optional)

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import puppeteer from 'puppeteer-core';

const sandboxExe = process.env.ONDEVICE_SANDBOX_EXE;
const cliExe = process.env.ONDEVICE_CLI_EXE;
const browserName = process.env.ONDEVICE_BROWSER || 'chromium';
const browserExe = process.env.ONDEVICE_BROWSER_EXE || (browserName === 'firefox' ? '/usr/bin/firefox-esr' : '/usr/bin/chromium');
const screenshots = process.env.ONDEVICE_SCREENSHOT_DIR || '';
const clientId = 'ondevice-demo';
// Resource scopes listed one by one, so that one can be unchecked on the consent page.
const requested = 'openid fhirUser launch/patient offline_access patient/Patient.rs patient/Observation.rs patient/Condition.rs';
const uncheckedScope = 'patient/Condition.rs';

let home; // this test's own HOME: the CLI's registry and records live here
let sandbox; // { process, fhirBase, adminBase }
let browser;

// Every process this file starts, so that a failed assertion still stops them.
const started = new Set();

function startProcess(exe, args) {
    const child = spawn(exe, args, {
        env: {
            ...process.env,
            HOME: home,
            XDG_DATA_HOME: join(home, '.local/share'),
            XDG_CONFIG_HOME: join(home, '.config'),
            XDG_CACHE_HOME: join(home, '.cache'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.add(child);
    child.stdoutText = '';
    child.stderrText = '';
    child.stdout.on('data', (d) => (child.stdoutText += d));
    child.stderr.on('data', (d) => (child.stderrText += d));
    child.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
        started.delete(child);
        resolve(code ?? `signal ${signal}`);
    }));
    return child;
}

async function waitFor(what, condition, timeoutMs = 20000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
        const value = condition();
        if (value)
            return value;
        if (Date.now() > end)
            throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}

async function cli(args) {
    const child = startProcess(cliExe, args);
    const code = await child.exited;
    return { code, out: child.stdoutText, err: child.stderrText };
}

// `connect --no-browser` prints the authorization address on stderr and waits for the browser.
async function startConnect() {
    const child = startProcess(cliExe, ['connect', '--fhir', sandbox.fhirBase, '--client-id', clientId, '--scope', requested, '--no-browser']);
    const url = await waitFor('the authorization URL on stderr', () => child.stderrText.match(/^(http\S+)$/m)?.[1]);
    return { child, url };
}

// A page whose console is watched: a Content-Security-Policy violation fails the test wherever it occurs.
async function watchedPage() {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    page.violations = [];
    const note = (text) => {
        if (!/Content.Security.Policy/i.test(text))
            return;
        page.violations.push(text);
        page.onViolation?.(text);
    };
    page.on('console', (message) => note(message.text()));
    if (browserName === 'chromium') {
        // Chromium also reports violations in its own log, outside any script.
        const cdp = await page.createCDPSession();
        await cdp.send('Log.enable');
        cdp.on('Log.entryAdded', ({ entry }) => note(entry.text));
    }
    // Every browser fires securitypolicyviolation at the document; it is echoed to the console watched above.
    await page.evaluateOnNewDocument(() => {
        document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    return page;
}

// Clicks a button that submits a form and waits for the page it leads to. A form the page's policy blocks
// goes nowhere: that fails at once with the browser's own words, not after a navigation timeout.
async function submit(page, selector) {
    let blocked;
    const violation = new Promise((_, reject) => (blocked = reject));
    page.onViolation = (text) => blocked(new Error(`the browser blocked the form: ${text}`));
    try {
        await Promise.race([Promise.all([page.waitForNavigation({ timeout: 30000 }), page.click(selector)]), violation]);
    } finally {
        page.onViolation = null;
    }
}

async function shot(page, name) {
    if (!screenshots)
        return;
    mkdirSync(join(screenshots, browserName), { recursive: true });
    await page.screenshot({ path: join(screenshots, browserName, name), fullPage: true });
}

async function patients() {
    const response = await fetch(`${sandbox.adminBase}/patients`);
    assert.equal(response.status, 200);
    return (await response.json()).patients;
}

before(async () => {
    assert.ok(sandboxExe && cliExe, 'ONDEVICE_SANDBOX_EXE and ONDEVICE_CLI_EXE must be set (ctest sets them)');
    home = mkdtempSync(join(tmpdir(), 'ondevice-browser-'));
    // No --auto-approve: the consent page, as in ./dev demo and at a connectathon.
    const child = startProcess(sandboxExe, ['--port', '0', '--patients', '3', '--resources-per-patient', '40']);
    const line = await waitFor('the sandbox to listen', () => child.stdoutText.includes('\n') && child.stdoutText);
    const announced = JSON.parse(line);
    sandbox = { process: child, fhirBase: announced.fhir_base, adminBase: announced.admin_base };
    browser = await puppeteer.launch(browserName === 'firefox'
        ? {
            browser: 'firefox',
            executablePath: browserExe,
            headless: true,
            // Offline: nothing that would reach for the network by itself.
            extraPrefsFirefox: { 'network.captive-portal-service.enabled': false, 'app.update.enabled': false,
                'browser.safebrowsing.malware.enabled': false, 'browser.safebrowsing.phishing.enabled': false,
                'network.connectivity-service.enabled': false, 'toolkit.telemetry.enabled': false },
            defaultViewport: { width: 1000, height: 900 },
        }
        : {
            executablePath: browserExe,
            headless: true,
            // As root in a container, offline: no sandbox, and nothing that would reach for the network by itself.
            args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--window-size=1000,900'],
            defaultViewport: { width: 1000, height: 900 },
        });
});

after(async () => {
    await browser?.close();
    for (const child of started)
        child.kill('SIGTERM');
    if (home)
        rmSync(home, { recursive: true, force: true });
});

test('Allow with a second patient, one scope unchecked and "1 day" connects the app', async () => {
    const [, second] = await patients();
    const { child, url } = await startConnect();
    const page = await watchedPage();

    // A stray callback first (another state): the loopback handler's refusal page, which must not end the sign-in.
    const port = new URL(new URL(url).searchParams.get('redirect_uri')).port;
    await page.goto(`http://127.0.0.1:${port}/callback?code=stray&state=not-the-one`);
    assert.equal(await page.title(), 'Not connected');

    await page.goto(url);
    assert.equal(await page.title(), 'Allow access to your health records?');
    await page.click(`input[name="patient"][value="${second.id}"]`);
    await page.click(`input[name="scope"][value="${uncheckedScope}"]`);
    await page.click('input[name="duration"][value="1d"]');
    await shot(page, 'sandbox-consent.png');
    assert.equal(await page.$eval(`input[name="scope"][value="${uncheckedScope}"]`, (e) => e.checked), false);

    const allowedAt = Date.now();
    await submit(page, 'button[value="approve"]');
    assert.equal(new URL(page.url()).origin, `http://127.0.0.1:${port}`, `the browser ended on ${page.url()}`);
    assert.equal(await page.title(), 'Connected');
    assert.match(await page.$eval('body', (b) => b.innerText), /now connected/);
    await shot(page, 'callback-connected.png');

    assert.equal(await child.exited, 0, child.stderrText);
    const id = child.stdoutText.trim();
    assert.match(id, /^\S+$/);

    const status = await cli(['status', '--json']);
    assert.equal(status.code, 0, status.err);
    const connection = JSON.parse(status.out).connections.find((c) => c.id === id);
    assert.ok(connection, status.out);
    assert.equal(connection.patient, second.id);
    assert.equal(connection.state, 'connected');
    assert.ok(!connection.scopes.includes(uncheckedScope), connection.scopes.join(' '));
    assert.ok(connection.scopes.includes('patient/Observation.rs'), connection.scopes.join(' '));
    const endsIn = Date.parse(connection.grant_end) - allowedAt;
    assert.ok(Math.abs(endsIn - 24 * 3600 * 1000) < 5 * 60 * 1000, `access ends in ${endsIn} ms, not in 24 hours`);

    assert.deepEqual(page.violations, []);
    await page.browserContext().close();
});

test('Deny ends on the app\'s "Not connected" page and the CLI says why', async () => {
    const { child, url } = await startConnect();
    const page = await watchedPage();
    await page.goto(url);
    await submit(page, 'button[value="deny"]');
    assert.equal(await page.title(), 'Not connected');
    assert.match(await page.$eval('body', (b) => b.innerText), /not granted/i);
    await shot(page, 'callback-not-connected.png');
    const code = await child.exited;
    assert.notEqual(code, 0);
    assert.match(child.stderrText, /Access was not granted/);
    assert.deepEqual(page.violations, []);
    await page.browserContext().close();
});

test('the sandbox\'s error pages keep to their policy', async () => {
    const origin = new URL(sandbox.fhirBase).origin;
    const page = await watchedPage();
    // A request the sandbox cannot send back: its own error page.
    await page.goto(`${origin}/auth/authorize?client_id=nobody&response_type=code`);
    assert.equal(await page.title(), 'Authorization error');
    await shot(page, 'sandbox-authorize-error.png');

    // A consent form answered twice (a form kept open in another tab, sent again): the second answer
    // is the sandbox's error page, not a second code.
    const { child, url } = await startConnect();
    await page.goto(url);
    const requestId = await page.$eval('input[name="request_id"]', (e) => e.value);
    await submit(page, 'button[value="approve"]');
    assert.equal(await page.title(), 'Connected');
    assert.equal(await child.exited, 0, child.stderrText);
    await page.goto(`${origin}/`); // the server's own start page
    await Promise.all([page.waitForNavigation({ timeout: 30000 }), page.evaluate((action, id) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = action;
        for (const [name, value] of [['request_id', id], ['decision', 'approve']]) {
            const input = document.createElement('input');
            Object.assign(input, { type: 'hidden', name, value });
            form.append(input);
        }
        document.body.append(form);
        form.submit();
    }, `${origin}/auth/authorize/decision`, requestId)]);
    assert.equal(await page.title(), 'Authorization error');
    assert.match(await page.$eval('body', (b) => b.innerText), /expired or was already answered/);
    assert.deepEqual(page.violations, []);
    await page.browserContext().close();
});
