export {
  type BackgroundWorker,
  type DeclaredAction,
  declaredActions,
  type KeelModule,
  type Layer,
  type ModuleContext,
  ModuleGraphError,
  orderModules,
  servicesPerContext,
  type UserEraser,
  userErasersOf,
} from './module.js';
