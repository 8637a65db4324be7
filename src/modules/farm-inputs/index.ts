// The public surface of farm-inputs: other features import only from here (npm run lint checks).
export { FARM_INPUTS_ERRORS } from './farm-inputs.errors';
export { FarmInputsModule } from './farm-inputs.module';
export { FarmInputsService } from './farm-inputs.service';
export type { FarmInputView, ScanResolution } from './farm-inputs.service';
export { InputApplicationsService } from './input-applications.service';
export { CreateInputApplicationDto, VoidApplicationDto } from './dto/input-application.dto';
export type { BatchFarmRecord, GateJudgementView, InputApplicationView, OverrideView } from './input-applications.service';
export { GATE_CODES, PhiGateService } from './phi-gate.service';
export type { GateSubject, HarvestOutlook } from './phi-gate.service';
export { AREA_UNIT_NAMES, DOSE_UNITS } from './domain/dose';
export { INPUT_KIND_NAMES } from './domain/input-kinds';
export { SEED_LABEL_LAYOUT } from './domain/seed-label';
