import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CategoriesController } from './categories.controller';
import { CategoriesService } from './categories.service';
import { CertificateScopeRule } from './certificate-scope-rule.entity';
import { CertificateScopeController } from './certificate-scope.controller';
import { CertificateScopeService } from './certificate-scope.service';
import { FoodCategory } from './food-category.entity';

@Module({
  imports: [TypeOrmModule.forFeature([FoodCategory, CertificateScopeRule])],
  controllers: [CategoriesController, CertificateScopeController],
  providers: [CategoriesService, CertificateScopeService],
  exports: [CategoriesService, CertificateScopeService],
})
export class CategoriesModule {}
