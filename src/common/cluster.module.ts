import { Global, Module } from '@nestjs/common';
import { BatchChangeRelay } from './batch-change-relay';
import { ClusterBus } from './cluster-bus';

/** What every process of a deployment shares beyond the database: the cluster channel (see ClusterBus). */
@Global()
@Module({ providers: [ClusterBus, BatchChangeRelay], exports: [ClusterBus] })
export class ClusterModule {}
