import { app, BrowserWindow, dialog, ipcMain, session, utilityProcess, type IpcMainEvent, type WebContents } from 'electron';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createIpcDispatcher, type IpcPeer } from './api/ipcDispatcher';
import { appRouter } from './api/router';
import { Core } from './core';
import { openFailureDialog } from './openFailureDialog';
import { useTrainerLauncher } from './train/trainerLauncher';
import { defaultProjectPath } from './store/defaultProjectPath';
import { IPC_CHANNEL, type IpcResponse } from '../shared/ipc';

const here = dirname(fileURLToPath(import.meta.url));
const rendererIndex = join(here, '../renderer/index.html');
const devServerUrl = process.env.ELECTRON_RENDERER_URL;

function optionsFromArgv(): { projectPath: string; readOnlyCopy: boolean; takeOverLock?: 'anotherComputer' } {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { project: { type: 'string' }, 'read-only-copy': { type: 'boolean' }, 'take-over-lock': { type: 'boolean' } },
    strict: false,
  });
  return {
    projectPath: resolve(typeof values.project === 'string' ? values.project : defaultProjectPath()),
    readOnlyCopy: values['read-only-copy'] === true,
    ...(values['take-over-lock'] === true ? { takeOverLock: 'anotherComputer' as const } : {}),
  };
}

/**
 * Opens the project; when it cannot be, says why and, for a damaged file, offers a read-only copy,
 * and for a project locked on another computer, to open it anyway.
 */
function openCore(): Core | null {
  const options = { ...optionsFromArgv(), shell: 'desktop' as const, sqliteBinding: process.env.NEUROLIP_SQLITE_BINDING };
  try {
    return Core.open(options);
  } catch (error) {
    const failure = openFailureDialog(error);
    const choice = dialog.showMessageBoxSync({
      type: 'error',
      title: failure.title,
      message: failure.title,
      detail: failure.message,
      buttons: failure.buttons,
      defaultId: failure.defaultButton,
      cancelId: failure.quitButton,
    });
    if (choice !== failure.copyButton && choice !== failure.takeOverButton) return null;
    const retry = choice === failure.copyButton ? { ...options, readOnlyCopy: true } : { ...options, takeOverLock: failure.lockOwner! };
    try {
      return Core.open(retry);
    } catch (retryError) {
      dialog.showErrorBox(failure.title, (retryError as Error).message);
      return null;
    }
  }
}

/** Only our own page, loaded in our own window, may call the API. */
function trustedSender(event: IpcMainEvent, window: BrowserWindow): boolean {
  if (event.sender !== window.webContents || !event.senderFrame) return false;
  const url = event.senderFrame.url;
  if (devServerUrl) return url.startsWith(devServerUrl);
  return url === pathToFileURL(rendererIndex).href || url.startsWith(`${pathToFileURL(rendererIndex).href}#`);
}

function peerFor(contents: WebContents): IpcPeer {
  return {
    id: contents.id,
    send: (response: IpcResponse) => {
      if (!contents.isDestroyed()) contents.send(IPC_CHANNEL, response);
    },
  };
}

function harden(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const local =
      details.url.startsWith('file:') ||
      details.url.startsWith('devtools:') ||
      (devServerUrl !== undefined && details.url.startsWith(devServerUrl));
    callback({ cancel: !local });
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

/** Trainer processes as Electron utility processes: fork() needs the RunAsNode fuse, which is off. */
function launchTrainersAsUtilityProcesses(): void {
  useTrainerLauncher((script) => {
    const child = utilityProcess.fork(script, [], { serviceName: 'NeuroLIP trainer', stdio: 'inherit' });
    return {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code) => listener(`exit code ${code}`)),
      kill: () => child.kill(),
    };
  });
}

/** Report PDFs in the desktop app: Electron's printToPDF of the report file in a hidden window with scripts off. */
async function printReportPdf(html: string): Promise<Buffer> {
  const folder = mkdtempSync(join(tmpdir(), 'neurolip-report-'));
  const file = join(folder, 'report.html');
  writeFileSync(file, html);
  const printer = new BrowserWindow({
    show: false,
    webPreferences: {
      javascript: false,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  try {
    await printer.loadFile(file);
    return await printer.webContents.printToPDF({ pageSize: 'A4', printBackground: true });
  } finally {
    printer.destroy();
    rmSync(folder, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await app.whenReady();
  harden();
  launchTrainersAsUtilityProcesses();
  const core = openCore();
  if (core === null) {
    app.exit(2);
    return;
  }
  core.printPdf = printReportPdf;
  const dispatcher = createIpcDispatcher(appRouter, () => ({ core }));
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'NeuroLIP Studio',
    show: false,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      // Middle-click must not open links in new windows (Electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const peer = peerFor(window.webContents);
  ipcMain.on(IPC_CHANNEL, (event, raw: unknown) => {
    if (trustedSender(event, window)) dispatcher.handle(peer, raw);
  });
  window.webContents.on('destroyed', () => dispatcher.dropPeer(peer));
  window.once('ready-to-show', () => window.show());
  if (devServerUrl) await window.loadURL(devServerUrl);
  else await window.loadFile(rendererIndex);
  app.on('window-all-closed', () => {
    core.close();
    app.quit();
  });
}

void main();
