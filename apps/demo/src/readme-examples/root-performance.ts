import { createInformerFactory, type Transport } from '@kubeinformers/core';

declare const transport: Transport; // yours, or kubeConfigTransport(kubeConfig) from the adapter

const factory = createInformerFactory(transport, { pruneManagedFields: true });

export { factory };
