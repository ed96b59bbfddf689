import { describe, expect, it } from 'vitest';
import { crossOriginProblem, isWriteRequest, writeMediaTypeProblem } from './requestGuard';

const HOSTS = ['127.0.0.1:8090', 'localhost:8090'];

describe('crossOriginProblem', () => {
  it('lets non-browser requests through', () => {
    expect(crossOriginProblem({ host: '127.0.0.1:8090' }, HOSTS)).toBeUndefined();
    expect(crossOriginProblem({ host: 'LOCALHOST:8090', 'sec-fetch-site': 'none' }, HOSTS)).toBeUndefined();
    expect(crossOriginProblem({ 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' }, HOSTS)).toBeUndefined();
  });

  it.each([
    [{ origin: 'http://127.0.0.1:9999' }],
    [{ origin: 'null' }],
    [{ origin: '' }],
    [{ origin: 'http://127.0.0.1:8090' }], // even "our own" origin: the sandbox serves no pages
    [{ 'sec-fetch-site': 'cross-site' }],
    [{ 'sec-fetch-site': 'same-site' }],
    [{ 'sec-fetch-site': '' }],
    [{ 'sec-fetch-site': 'none, cross-site' }], // a repeated header, as node:http joins it
    [{ host: 'attacker.example:8090' }],
    [{ host: '127.0.0.1:8091' }],
    [{ host: '127.0.0.1' }],
    [{ host: '127.0.0.1:8090.attacker.example' }],
    [{ host: '' }],
  ])('refuses %j', (headers) => {
    expect(crossOriginProblem(headers, HOSTS)).toEqual(expect.any(String));
  });
});

describe('isWriteRequest', () => {
  it.each([
    ['POST', ''],
    ['POST', '/'],
    ['POST', '/Flag'],
    ['post', '/Flag'],
    ['PUT', '/Flag/x'],
    ['PATCH', '/Flag/x'],
    ['DELETE', '/Flag'],
    ['POST', '/$graphql'],
    ['POST', '/Flag/x/_search'],
    ['POST', '/_search'],
    ['POST', '/Flag/%5Fsearch'],
  ])('%s %s is a write', (method, path) => expect(isWriteRequest(method, path)).toBe(true));

  it.each([
    ['GET', '/Flag'],
    ['OPTIONS', '/Flag'],
    ['HEAD', '/Flag'],
    ['POST', '/Flag/_search'],
    ['POST', '//Flag//_search/'],
  ])('%s %s is not a write', (method, path) => expect(isWriteRequest(method, path)).toBe(false));
});

describe('writeMediaTypeProblem', () => {
  it.each([
    ['POST', 'application/fhir+json'],
    ['PUT', 'application/json'],
    ['POST', 'application/fhir+json; charset=utf-8'],
    ['POST', 'APPLICATION/FHIR+JSON;CHARSET=UTF-8'],
    ['POST', 'application/json; charset="utf-8"'],
    ['PATCH', 'application/json-patch+json'],
    ['PATCH', 'application/fhir+json'],
  ])('accepts %s %s', (method, type) => expect(writeMediaTypeProblem(method, type)).toBeUndefined());

  it.each([
    ['POST', undefined],
    ['POST', ''],
    ['POST', 'text/plain'],
    ['POST', 'text/plain; charset=utf-8'],
    ['POST', 'application/x-www-form-urlencoded'],
    ['POST', 'multipart/form-data; boundary=----x'],
    ['POST', 'application/json-patch+json'],
    ['POST', 'application/fhir+jsonx'],
    ['POST', 'application/json, text/plain'],
    ['POST', 'application/json; charset=utf-16'],
    ['POST', 'application/json; boundary=x'],
    ['DELETE', 'text/plain'],
    ['PATCH', 'text/plain'],
  ])('refuses %s %s', (method, type) => expect(writeMediaTypeProblem(method, type)).toEqual(expect.any(String)));

  it('never echoes arbitrary request text', () => {
    expect(writeMediaTypeProblem('POST', 'text/plain')).toBe('Content-Type text/plain');
    expect(writeMediaTypeProblem('POST', 'Patient Jane Doe 9990000018')).toBe('an unsupported Content-Type');
  });
});
