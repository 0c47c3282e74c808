export {
  type DeclaredAction,
  declaredActions,
  type KeelModule,
  type Layer,
  type ModuleContext,
  ModuleGraphError,
  orderModules,
} from './module.js';
