import { uuidV5 } from './uuid-v5';

describe('uuidV5', () => {
  it('matches the RFC example and other implementations', () => {
    // RFC 9562 appendix A.4: "www.example.com" in the DNS namespace.
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    // The npm uuid package's v5('a', uuid.v5.URL).
    expect(uuidV5('a', '6ba7b811-9dad-11d1-80b4-00c04fd430c8')).toBe('e1407479-3136-56c0-9908-bb02fb0339e2');
  });
});
