import type { ExecutionContext } from '@nestjs/common';
import { createParamDecorator } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Session } from '@lbc/http';
import type { FormRequest } from './form-submitter';

/** The parts of a form request the submitter needs: body, path parameters, caller, request and response. */
export const Form = createParamDecorator((_data: unknown, context: ExecutionContext): FormRequest => {
  const http = context.switchToHttp();
  const request = http.getRequest<Request>();
  return { body: request.body, params: request.params as Record<string, string>, actor: request.user as Session, request, response: http.getResponse<Response>() };
});
