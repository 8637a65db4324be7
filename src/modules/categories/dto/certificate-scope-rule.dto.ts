import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** `PUT /api/v1/certificate-scope/{path}`: the rule for one category subtree. */
export class PutCertificateScopeRuleDto {
  @ApiProperty({ example: '《农产品质量安全承诺达标合格证管理办法》（农业农村部令2025年第4号）', description: 'where the rule comes from' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  source: string;

  @ApiProperty({ description: 'whether the source was checked against the official text' })
  @IsBoolean()
  verified: boolean;

  @ApiPropertyOptional({ example: '含人工种植的食用菌' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}
