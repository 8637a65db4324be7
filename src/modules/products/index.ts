// The public surface of products: other features import only from here (npm run lint checks).
export { CreateProductDto } from './dto/create-product.dto';
export { ProductsModule } from './products.module';
export { ProductView, ProductsService } from './products.service';
