import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI shapes of the checkpoint routes (the services return plain objects of these shapes). */
export class AuditCheckpointDto {
  @ApiProperty({ description: 'Seq of the audit entry the checkpoint fixes (the chain head when signed)', example: 48213 })
  seq: number;

  @ApiProperty({ description: 'Hash of that entry (hex sha256)', example: '9f2c…' })
  hash: string;

  @ApiProperty({ description: 'When it was signed (ISO 8601 UTC, milliseconds)', example: '2026-12-04T02:00:00.012Z' })
  at: string;

  @ApiProperty({ description: 'Signing key: first 16 hex digits of sha256 over the raw 32-byte public key', example: '3b0c5e1f9a7d2c44' })
  keyId: string;

  @ApiProperty({
    description: 'Ed25519 signature (base64) over the UTF-8 bytes of '
      + '`{"at":…,"hash":…,"keyId":…,"seq":…,"type":"tianfu-trace/audit-checkpoint/v1"}` (keys sorted, no spaces)',
  })
  signature: string;
}

class AuditPublicKeyDto {
  @ApiProperty({ enum: ['Ed25519'] })
  algorithm: 'Ed25519';

  @ApiProperty({ example: '3b0c5e1f9a7d2c44' })
  keyId: string;

  @ApiProperty({ description: 'SPKI PEM' })
  pem: string;

  @ApiProperty({ description: 'The raw 32-byte public key, base64' })
  raw: string;
}

export class AuditCheckpointPageDto {
  @ApiProperty({ type: AuditPublicKeyDto, description: 'The key that signs checkpoints now' })
  publicKey: AuditPublicKeyDto;

  @ApiProperty({ type: [AuditCheckpointDto], description: 'Newest first' })
  items: AuditCheckpointDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
