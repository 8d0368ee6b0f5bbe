/**
 * The few Electron APIs that src/main/index.ts and src/preload use, for type checking on machines
 * where the optional electron package could not install (its binary download fails here, and npm
 * then drops the package with its real electron.d.ts). Wherever electron is installed, tsconfig's
 * "paths" picks the real declarations first. Keep this in step with what the entry points use.
 */
declare module 'electron' {
  interface WebFrameMain {
    readonly url: string;
  }
  interface WebContents {
    readonly id: number;
    send(channel: string, ...args: unknown[]): void;
    isDestroyed(): boolean;
    on(event: 'destroyed', listener: () => void): this;
    on(event: 'will-navigate' | 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): this;
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void;
    printToPDF(options: { pageSize?: string; printBackground?: boolean }): Promise<Buffer>;
  }
  interface IpcMainEvent {
    readonly sender: WebContents;
    readonly senderFrame: WebFrameMain | null;
  }
  interface IpcRendererEvent {
    readonly sender: unknown;
  }
  class BrowserWindow {
    constructor(options: {
      width?: number;
      height?: number;
      title?: string;
      show?: boolean;
      webPreferences?: {
        preload?: string;
        contextIsolation?: boolean;
        sandbox?: boolean;
        nodeIntegration?: boolean;
        webSecurity?: boolean;
        disableBlinkFeatures?: string;
        javascript?: boolean;
      };
    });
    readonly webContents: WebContents;
    once(event: 'ready-to-show', listener: () => void): this;
    show(): void;
    loadURL(url: string): Promise<void>;
    loadFile(path: string): Promise<void>;
    destroy(): void;
  }
  const app: {
    whenReady(): Promise<void>;
    quit(): void;
    exit(code?: number): void;
    on(event: 'window-all-closed', listener: () => void): void;
    on(event: 'web-contents-created', listener: (event: unknown, contents: WebContents) => void): void;
  };
  const dialog: {
    showErrorBox(title: string, content: string): void;
    showMessageBoxSync(options: {
      type?: 'none' | 'info' | 'error' | 'question' | 'warning';
      title?: string;
      message: string;
      detail?: string;
      buttons?: string[];
      defaultId?: number;
      cancelId?: number;
    }): number;
  };
  interface UtilityProcess {
    postMessage(message: unknown): void;
    on(event: 'message', listener: (message: never) => void): this;
    on(event: 'exit', listener: (code: number) => void): this;
    kill(): boolean;
  }
  const utilityProcess: {
    fork(modulePath: string, args?: string[], options?: { serviceName?: string; stdio?: 'inherit' | 'pipe' | 'ignore' }): UtilityProcess;
  };
  const ipcMain: { on(channel: string, listener: (event: IpcMainEvent, ...args: unknown[]) => void): void };
  const ipcRenderer: {
    send(channel: string, ...args: unknown[]): void;
    on(channel: string, listener: (event: IpcRendererEvent, ...args: never[]) => void): void;
    removeListener(channel: string, listener: (event: IpcRendererEvent, ...args: never[]) => void): void;
  };
  const contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  const session: {
    defaultSession: {
      setPermissionRequestHandler(handler: (contents: WebContents, permission: string, callback: (granted: boolean) => void) => void): void;
      setPermissionCheckHandler(handler: () => boolean): void;
      webRequest: {
        onBeforeRequest(listener: (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void): void;
      };
    };
  };
}
