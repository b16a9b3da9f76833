/** The service module on its own: both transports, the envelope and failures. */
import { config } from '../../miniprogram/config';
import { api, call } from '../../miniprogram/services/api';
import { ApiFail, backend, FUNCTION_CRASH, FUNCTION_TIMEOUT, NETWORK_DOWN, resetAll, wxCalls } from './helpers';

describe('services/api', () => {
  const saved = { ...config };
  beforeEach(resetAll);
  afterEach(() => Object.assign(config, saved));

  test('local mode posts to the gateway with the dev openid and resolves with data', async () => {
    config.devOpenid = 'demo-chamber-head';
    backend.on('need.claim', { id: 'need-1' });
    await expect(api.claimNeed('need-1')).resolves.toEqual({ id: 'need-1' });
    expect(wxCalls.requests).toEqual([
      { url: 'http://127.0.0.1:3000/api/need', header: expect.objectContaining({ 'x-openid': 'demo-chamber-head' }) },
    ]);
    expect(backend.calls).toEqual([{ fn: 'need', action: 'claim', payload: { id: 'need-1' } }]);
  });

  test('cloud mode calls the function with the action in data', async () => {
    config.mode = 'cloud';
    backend.on('need.queue', { items: [] });
    await expect(call('need', 'queue', { status: 'routed' })).resolves.toEqual({ items: [] });
    expect(wxCalls.requests).toEqual([]);
    expect(backend.calls).toEqual([{ fn: 'need', action: 'queue', payload: { status: 'routed' } }]);
  });

  test('an error envelope rejects with code, message and field', async () => {
    backend.on('enterprise.register', new ApiFail('INVALID_ARGUMENT', '手机号格式不正确', 'contactPhone'));
    await expect(call('enterprise', 'register', {})).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: '手机号格式不正确',
      field: 'contactPhone',
    });
  });

  const failures = [
    { what: 'no network', answer: NETWORK_DOWN, transport: 'network', says: /^网络异常，请检查手机网络后重试$/ },
    { what: 'a function timeout', answer: FUNCTION_TIMEOUT, transport: 'timeout', says: /^服务器处理超时，刚才的操作可能已经完成/ },
    { what: 'a function error', answer: FUNCTION_CRASH, transport: 'function', says: /^服务暂时出现故障，请稍后再试/ },
  ];
  describe.each(['local', 'cloud'] as const)('in %s mode', (mode) => {
    test.each(failures)('$what has its own words, and only no network says 网络异常', async ({ answer, transport, says }) => {
      config.mode = mode;
      backend.on('user.login', () => answer);
      const err = await api.login().catch((e) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err).toMatchObject({ code: 'INTERNAL', transport });
      expect(err.message).toMatch(says);
      expect(err.message.includes('网络异常')).toBe(transport === 'network');
    });
  });
});
