import { describe, expect, it } from 'vitest';
import { bearerOf, isLaunchToken, isLoopbackHost, isOwnHost, isOwnOrigin } from './webGuards';

describe('web shell guards', () => {
  it('binds loopback only', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    for (const host of ['0.0.0.0', '::', 'localhost', '192.168.1.2', '']) expect(isLoopbackHost(host)).toBe(false);
  });
  it('accepts only our own Host and Origin', () => {
    expect(isOwnHost('127.0.0.1:4000', 4000)).toBe(true);
    expect(isOwnOrigin('http://127.0.0.1:4000', 4000)).toBe(true);
    for (const hostile of ['evil.example:4000', 'localhost:4000', '127.0.0.1:4001', '127.0.0.1', undefined]) {
      expect(isOwnHost(hostile, 4000)).toBe(false);
    }
    for (const hostile of ['http://evil.example', 'http://127.0.0.1:4000.evil.example', 'https://127.0.0.1:4000', 'null', undefined]) {
      expect(isOwnOrigin(hostile, 4000)).toBe(false);
    }
  });
  it('compares the launch token exactly', () => {
    expect(isLaunchToken('abc', 'abc')).toBe(true);
    for (const wrong of ['abd', 'ab', 'abcd', '', null, undefined]) expect(isLaunchToken(wrong, 'abc')).toBe(false);
    expect(bearerOf('Bearer xyz')).toBe('xyz');
    expect(bearerOf('Basic xyz')).toBeUndefined();
  });
});
