import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://erp.example.cn/hooks/tianfu', maxLength: 500 })
  @IsString()
  @MaxLength(500)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true }, { message: 'url must be an http(s) URL' })
  url: string;

  @ApiPropertyOptional({ example: ['batch.on_hold', 'batch.recalled'], description: 'Notification kinds to send; all kinds when absent' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, { each: true, message: 'each kind must look like batch.recalled' })
  @MaxLength(60, { each: true })
  kinds?: string[];
}
