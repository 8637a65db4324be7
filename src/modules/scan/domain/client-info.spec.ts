import { classifyClient } from './client-info';

describe('coarse client information', () => {
  it('recognises WeChat on Android as a mobile scan', () => {
    const ua = 'Mozilla/5.0 (Linux; Android 14; V2307A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47';
    expect(classifyClient(ua, 'zh-CN,zh;q=0.9')).toEqual({ device: 'mobile', os: 'android', app: 'wechat', lang: 'zh-cn' });
  });

  it('recognises an iPhone Safari, a desktop, a bot and nothing', () => {
    expect(classifyClient('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1', undefined))
      .toMatchObject({ device: 'mobile', os: 'ios', app: 'safari', lang: null });
    expect(classifyClient('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36', 'en-US')).toMatchObject({ device: 'desktop', os: 'windows' });
    expect(classifyClient('curl/8.0', undefined).device).toBe('bot');
    expect(classifyClient(undefined, undefined)).toEqual({ device: 'other', os: 'other', app: 'other', lang: null });
  });
});
