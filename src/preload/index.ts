import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNEL, type IpcRequest, type IpcResponse, type NeurolipBridge } from '../shared/ipc';

const bridge: NeurolipBridge = {
  send: (request: IpcRequest) => ipcRenderer.send(IPC_CHANNEL, request),
  onMessage: (listener) => {
    const handler = (_event: IpcRendererEvent, response: IpcResponse): void => listener(response);
    ipcRenderer.on(IPC_CHANNEL, handler);
    return () => ipcRenderer.removeListener(IPC_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('neurolip', bridge);
