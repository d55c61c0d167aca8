import type { Rule } from '../types.js';
import { anyCase } from './fragments.js';
import { sampleBase64 } from './samples.js';

/**
 * Azure connection strings that carry a shared access key: Service Bus, Event Hubs, Relay and
 * Notification Hubs namespaces (`Endpoint=sb://…servicebus.windows.net/;SharedAccessKeyName=…;
 * SharedAccessKey=…`), IoT Hub and Device Provisioning (`HostName=…azure-devices.net;…`).
 */
const NAME = String.raw`[A-Za-z][A-Za-z0-9_]*`;
const VALUE = String.raw`[^;\s"'<>\x60\\]*`;

export const azureSharedAccessKeyRule: Rule = {
  id: 'azure-shared-access-key',
  family: 'azure-shared-access-key',
  title: 'Azure Service Bus / Event Hubs / IoT Hub shared access key',
  description: 'A connection string with a shared access key (Service Bus, Event Hubs, Relay, Notification Hubs, IoT Hub): sends, receives or manages with the rights of its policy until the key is regenerated.',
  keywords: ['sharedaccesskey='],
  pattern: new RegExp(
    String.raw`(?:${NAME}=${VALUE};\s*){0,8}?${anyCase('SharedAccessKey')}=(?<secret>[A-Za-z0-9+/]{42,43}=)(?![A-Za-z0-9+/=])(?:;\s*${NAME}=${VALUE}){0,8};?`,
    'g',
  ),
  window: { before: 1024, after: 512 },
  severity: 'high',
  confidence: 'high',
  analyzer: 'azure-shared-access-key',
  grantSummary: 'service (Service Bus/Event Hubs namespace, IoT Hub, DPS), namespace or hub, policy name (RootManageSharedAccessKey = manage), entity; identifiable-key checksum when present',
  examples: [
    `Endpoint=sb://orders-prod.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${sampleBase64('sb1', 32)}`,
    `"EventHubConnection": "Endpoint=sb://telemetry-ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${sampleBase64('eh1', 32)};EntityPath=device-events"`,
    `IOTHUB_CONNECTION_STRING="HostName=plant-hub.azure-devices.net;SharedAccessKeyName=iothubowner;SharedAccessKey=${sampleBase64('iot1', 32)}"`,
  ],
  negativeExamples: [
    'Endpoint=sb://<namespace>.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=<key>',
    'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${SB_KEY}',
    'SharedAccessKeyName=[Shared Access Key Name goes here];SharedAccessKey=[Shared Access key goes here];',
  ],
};
