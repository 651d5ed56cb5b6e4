import { sipSafe, sipUriProblem, sipUserProblem } from '@legwork/contracts';
import { z } from 'zod';
import type { SystemFields } from '../documents/document-writer';
import { callerIdSchema, kazooIdSchema, realmSchema } from './common.schema';
import { extensionSchema } from './numbering.schema';

export const INVITE_FORMATS = ['username', 'contact', 'route', 'e164', 'npan', '1npan'] as const;

const sipSchema = z
  .object({
    username: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[^\s@:;]+$/, 'must not contain spaces, @, : or ;')
      .superRefine(sipSafe(sipUserProblem)),
    /** Write-only: kept as digest HA1s (see SipHa1), never as given; required when a device is created. */
    password: z.string().min(1).max(128).optional(),
    realm: realmSchema.optional(),
    invite_format: z.enum(INVITE_FORMATS).default('username'),
    route: z.string().min(1).max(512).superRefine(sipSafe(sipUriProblem)).optional(),
    ip: z.union([z.ipv4(), z.ipv6()]).optional(),
  })
  .superRefine((sip, ctx) => {
    if (sip.invite_format === 'route' && !sip.route) {
      ctx.addIssue({ code: 'custom', path: ['route'], message: 'is required when invite_format is route', params: { rule: 'required' } });
    }
  });

export const deviceSchema = z.object({
  name: z.string().trim().min(1).max(128),
  device_type: z
    .enum(['sip_device', 'softphone', 'mobile', 'smartphone', 'cellphone', 'landline', 'sip_uri', 'application'])
    .default('sip_device'),
  enabled: z.boolean().default(true),
  owner_id: kazooIdSchema.optional(),
  caller_id: callerIdSchema.optional(),
  sip: sipSchema,
  media: z.object({ audio: z.object({ codecs: z.array(z.string().min(1)).default(['PCMU', 'PCMA']) }).default({ codecs: ['PCMU', 'PCMA'] }) }).optional(),
  /** RFC 8599 push parameters for devices woken by a notification; `prid` is unique per account (push APIs address the device by it). */
  push: z
    .object({
      provider: z.string().min(1).max(64),
      prid: z.string().min(1).max(4096),
      param: z.string().max(1024).optional(),
      accept_calls: z.boolean().default(true),
    })
    .optional(),
  suppress_unregister_notifications: z.boolean().optional(),
  /** Unique in the account across users, devices and groups. */
  extension: extensionSchema.optional(),
});

export type DeviceInput = z.input<typeof deviceSchema>;

type DeviceSip = Omit<z.output<typeof deviceSchema>['sip'], 'password'>;

/** A device as every read returns it: no password, no HA1. */
export interface Device extends Omit<z.output<typeof deviceSchema>, 'sip'>, SystemFields {
  account_id: string;
  /** realm is always filled in (the account realm when not given). */
  sip: DeviceSip & { realm: string };
}

/** RFC 7616 / RFC 8760 HA1s, H(username:realm:password), with the realm they were made for. */
export interface SipHa1 {
  realm: string;
  md5: string;
  sha256: string;
}

/** What is kept at rest: the device plus its digest HA1s (older documents may still hold `sip.password`). */
export interface StoredDevice extends Device {
  pvt_sip_ha1?: SipHa1;
}
