import { Global, Module } from '@nestjs/common';
import { ReadReplica } from './read-replica';

/** Reads that may go to DATABASE_REPLICA_URL (see ReadReplica); the API process only. */
@Global()
@Module({ providers: [ReadReplica], exports: [ReadReplica] })
export class ReadReplicaModule {}
