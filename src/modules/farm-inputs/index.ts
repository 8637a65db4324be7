// The public surface of farm-inputs: other features import only from here (npm run lint checks).
export { FARM_INPUTS_ERRORS } from './farm-inputs.errors';
export { FarmInputsModule } from './farm-inputs.module';
export { FarmInputsService } from './farm-inputs.service';
export type { FarmInputView } from './farm-inputs.service';
export { InputApplicationsService } from './input-applications.service';
export type { InputApplicationView } from './input-applications.service';
export { GATE_CODES, PhiGateService } from './phi-gate.service';
export type { GateSubject } from './phi-gate.service';
