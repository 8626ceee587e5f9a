import express from 'express';
import { allowedMethods } from './method-not-allowed.middleware';

describe('the methods a path allows', () => {
  it('come from the routes of that path, not from a middleware mounted on every path', () => {
    const server = express();
    // As Nest mounts a module's middleware `forRoutes({ path: '{*path}', method: ALL })`.
    server.all('/{*path}', (_request, _response, next) => next());
    server.post('/api/v1/events', (_request, response) => void response.end());
    server.get('/api/v1/users', (_request, response) => void response.end());
    server.post('/api/v1/users', (_request, response) => void response.end());
    expect(allowedMethods(server, '/api/v1/events')).toEqual(['POST']);
    expect(allowedMethods(server, '/api/v1/users')).toEqual(['GET', 'HEAD', 'POST']);
    expect(allowedMethods(server, '/nowhere')).toEqual([]);
  });
});
