import { Global, Module } from '@nestjs/common';
import { ReadReplica } from './read-replica';

/** Reads that may go to DATABASE_REPLICA_URL (see ReadReplica); in the API and the worker processes. */
@Global()
@Module({ providers: [ReadReplica], exports: [ReadReplica] })
export class ReadReplicaModule {}
