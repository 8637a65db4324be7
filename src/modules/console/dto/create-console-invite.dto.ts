import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CONSOLE_ROLES } from '../domain/console-roles';

export class CreateConsoleInviteDto {
  @ApiProperty({ example: 'wang.li', description: 'Login name: 3–60 of a–z, 0–9, . _ @ - (case-insensitive)' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._@-]{2,59}$/, { message: 'loginName: 3–60 letters, digits, . _ @ -' })
  loginName: string;

  @ApiProperty({ example: '王丽', maxLength: 60 })
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  displayName: string;

  @ApiProperty({ enum: CONSOLE_ROLES, description: 'regulator in a regulator organisation; org_admin or operator elsewhere' })
  @IsIn(CONSOLE_ROLES)
  role: string;
}
