import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { ApplyTemplateRequest__Output, ApplyTemplateResponse, CreateTemplateRequest__Output, GetTemplateRequest__Output, ListTemplatesRequest__Output, ListTemplatesResponse, Template, Template__Output } from '@coupler/proto';
import { CouplerError } from '@coupler/kit';
import { CloudErrorCode } from '../../errors.js';
import { unary, type UnaryContext } from './unary.js';

/** What TemplateService calls; the root checks roles (operator to create and apply, viewer to read) and audits changes. */
export interface TemplateApi {
  create(authorization: string | undefined, template: Template__Output): Promise<Template>;
  get(authorization: string | undefined, name: string, version: string): Promise<Template>;
  list(authorization: string | undefined, name: string): Promise<Template[]>;
  apply(authorization: string | undefined, request: ApplyTemplateRequest__Output): Promise<ApplyTemplateResponse>;
}

/** coupler.fleet.v1.TemplateService: maps messages to the TemplateApi and nothing else. */
export function templateHandlers(templates: TemplateApi, context: UnaryContext): UntypedServiceImplementation {
  return {
    CreateTemplate: unary('CreateTemplate', context, (request: CreateTemplateRequest__Output, auth) => {
      if (!request.template) return Promise.reject(new CouplerError(CloudErrorCode.requestInvalid, 'template: required'));
      return templates.create(auth, request.template);
    }),
    GetTemplate: unary('GetTemplate', context, (request: GetTemplateRequest__Output, auth) => templates.get(auth, request.name, request.version)),
    ListTemplates: unary('ListTemplates', context, async (request: ListTemplatesRequest__Output, auth): Promise<ListTemplatesResponse> => ({
      templates: await templates.list(auth, request.name),
    })),
    ApplyTemplate: unary('ApplyTemplate', context, (request: ApplyTemplateRequest__Output, auth) => templates.apply(auth, request)),
  };
}
