export { plansModule } from './plans.module.js';
