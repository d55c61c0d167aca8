import type { Rule } from '../types.js';
import { anyCase } from './fragments.js';
import { sampleBase64 } from './samples.js';

/**
 * Azure connection strings of the `endpoint=…;accesskey=…` shape: Communication Services
 * (`…communication.azure.com`), SignalR (`…service.signalr.net`) and Web PubSub (`…webpubsub.azure.com`).
 */
export const azureAccessKeyRule: Rule = {
  id: 'azure-access-key-connection-string',
  family: 'azure-access-key',
  title: 'Azure Communication Services / SignalR / App Configuration access key',
  description: 'An endpoint with its access key (Communication Services, SignalR, Web PubSub): sends SMS, e-mail and calls billed to the resource, or mints client tokens for every hub, until the key is regenerated.',
  keywords: ['accesskey=', '.azconfig.io'],
  pattern: new RegExp(
    String.raw`${anyCase('endpoint')}=(?<endpoint>https?://[^;\s"'<>]+);\s*(?:[A-Za-z]+=[^;\s"'<>]*;\s*)*?${anyCase('AccessKey')}=(?<secret>[A-Za-z0-9+/]{40,90}={0,2})(?![A-Za-z0-9+/=])` +
      // App Configuration: Endpoint=https://<store>.azconfig.io;Id=<credential id>;Secret=<key>
      String.raw`|(?:${anyCase('endpoint')}=)?(?<appConfig>https://[A-Za-z0-9-]+\.azconfig\.io)/?;\s*Id=(?<credentialId>[^;\s"'<>]+);\s*Secret=(?<appConfigSecret>[A-Za-z0-9+/]{40,90}={0,2})(?![A-Za-z0-9+/=])`,
    'g',
  ),
  window: { before: 512, after: 256 },
  severity: 'high',
  confidence: 'high',
  analyzer: 'azure-access-key-connection-string',
  grantSummary: 'service (Communication Services, SignalR, Web PubSub, App Configuration) and resource name from the endpoint',
  examples: [
    `ACS_CONNECTION_STRING="endpoint=https://contoso-acs.communication.azure.com/;accesskey=${sampleBase64('acs1', 64)}"`,
    `"Azure:SignalR:ConnectionString": "Endpoint=https://chat-prod.service.signalr.net;AccessKey=${sampleBase64('sig1', 32)};Version=1.0;"`,
    `AppConfig__ConnectionString="Endpoint=https://contoso-settings.azconfig.io;Id=Xa1b-l0-s0:${sampleBase64('ac1', 15).slice(0, 20)};Secret=${sampleBase64('ac2', 32)}"`,
  ],
  negativeExamples: ['endpoint=https://<resource>.communication.azure.com/;accesskey=<key>', 'Endpoint=https://chat.service.signalr.net;AuthType=azure.msi;Version=1.0;', 'Endpoint=https://{store}.azconfig.io;Id={id};Secret={secret}', 'Endpoint=https://contoso-settings.azconfig.io'],
};
