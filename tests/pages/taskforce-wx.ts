/**
 * wx APIs the task-force pages use beyond the shared helpers: storage,
 * location, media, files, photo upload (local gateway /upload and
 * wx.cloud.uploadFile), modals and network status. Not a test file itself
 * (no .test.ts), imported by tests/pages/taskforce-*.test.ts after ./helpers.
 */
import { backend } from './helpers';

type AnyFn = (...args: any[]) => any;

export const fake = {
  storage: new Map<string, unknown>(),
  location: 'ok' as 'ok' | 'deny' | 'fail',
  locationCalls: 0,
  openSettings: 0,
  chosen: [] as string[],
  /** cloudPaths in upload order. */
  uploads: [] as { cloudPath: string; filePath: string }[],
  uploadDown: false,
  modals: [] as { title: string; content: string }[],
  /** What the next modal's user taps: confirm or cancel. */
  modalConfirm: true,
  /** wx.openLocation calls (导航). */
  opened: [] as { latitude: number; longitude: number; name?: string; address?: string }[],
  networkListeners: [] as AnyFn[],
  reset() {
    this.storage.clear();
    this.location = 'ok';
    this.locationCalls = 0;
    this.openSettings = 0;
    this.chosen = ['wxfile://tmp/a.jpg', 'wxfile://tmp/b.png'];
    this.uploads = [];
    this.uploadDown = false;
    this.modals = [];
    this.modalConfirm = true;
    this.opened = [];
  },
  /** Simulates the phone getting its network back. */
  networkBack() {
    for (const l of this.networkListeners) l({ isConnected: true, networkType: 'wifi' });
  },
};

function fileIdOf(cloudPath: string): string {
  return `cloud://env/${cloudPath}`;
}

export function installTaskforceWx(): void {
  const wx = (global as any).wx;
  wx.getStorageSync = (key: string) => (fake.storage.has(key) ? JSON.parse(JSON.stringify(fake.storage.get(key))) : '');
  wx.setStorageSync = (key: string, value: unknown) => fake.storage.set(key, JSON.parse(JSON.stringify(value)));
  wx.removeStorageSync = (key: string) => fake.storage.delete(key);

  wx.getLocation = (opts: any) => {
    fake.locationCalls += 1;
    setTimeout(() => {
      if (fake.location === 'ok') opts.success?.({ latitude: 29.4842, longitude: 106.4823 });
      else opts.fail?.({ errMsg: fake.location === 'deny' ? 'getLocation:fail auth deny' : 'getLocation:fail timeout' });
    }, 0);
  };
  wx.openSetting = (opts: any) => {
    fake.openSettings += 1;
    setTimeout(() => opts.complete?.({}), 0);
  };
  wx.chooseMedia = (opts: any) => {
    const tempFiles = fake.chosen.slice(0, opts.count).map((p) => ({ tempFilePath: p, size: 1000, fileType: 'image' }));
    setTimeout(() => opts.success?.({ tempFiles, type: 'image' }), 0);
  };
  wx.previewImage = () => {};
  wx.getFileSystemManager = () => ({
    readFile(opts: any) {
      setTimeout(() => opts.success?.({ data: Buffer.from(opts.filePath).toString('base64') }), 0);
    },
    saveFileSync: (p: string) => p.replace('wxfile://tmp/', 'wxfile://store/'),
    removeSavedFile() {},
  });

  const apiRequest = wx.request;
  wx.request = (opts: any) => {
    if (!String(opts.url).endsWith('/upload')) return apiRequest(opts);
    setTimeout(() => {
      if (fake.uploadDown) opts.fail?.({ errMsg: 'request:fail' });
      else {
        fake.uploads.push({ cloudPath: opts.data.cloudPath, filePath: Buffer.from(opts.data.contentBase64, 'base64').toString() });
        opts.success?.({ statusCode: 200, data: { ok: true, data: { fileID: fileIdOf(opts.data.cloudPath) } } });
      }
    }, 0);
    return { abort() {} };
  };
  wx.cloud.uploadFile = (opts: any) => {
    setTimeout(() => {
      if (fake.uploadDown) opts.fail?.({ errMsg: 'cloud.uploadFile:fail' });
      else {
        fake.uploads.push({ cloudPath: opts.cloudPath, filePath: opts.filePath });
        opts.success?.({ fileID: fileIdOf(opts.cloudPath), statusCode: 200 });
      }
    }, 0);
  };
  wx.showModal = (opts: any) => {
    fake.modals.push({ title: opts.title, content: opts.content });
    backend.calls.push({ fn: 'wx', action: 'showModal', payload: { content: opts.content } });
    setTimeout(() => {
      opts.success?.({ confirm: fake.modalConfirm, cancel: !fake.modalConfirm });
      opts.complete?.({});
    }, 0);
  };
  wx.onNetworkStatusChange = (cb: AnyFn) => fake.networkListeners.push(cb);
  wx.openLocation = (opts: any) => {
    fake.opened.push({ latitude: opts.latitude, longitude: opts.longitude, name: opts.name, address: opts.address });
    setTimeout(() => opts.success?.({}), 0);
  };
}
