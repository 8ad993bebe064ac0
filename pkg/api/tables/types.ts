// A printer: the TableConvertor contract plus optional row conditions (pods mark Completed rows).
import type { KubeObject, TableConvertor } from "../types.ts";

export interface RowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface Printer extends TableConvertor {
  conditions?(obj: KubeObject): RowCondition[] | undefined;
}
