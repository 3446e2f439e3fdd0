-- CreateIndex
CREATE INDEX "Case_streetId_id_idx" ON "Case"("streetId", "id");

-- CreateIndex
CREATE INDEX "Case_estateId_state_id_idx" ON "Case"("estateId", "state", "id");

-- CreateIndex
CREATE INDEX "Case_companyId_id_idx" ON "Case"("companyId", "id");

-- CreateIndex
CREATE INDEX "Case_state_id_idx" ON "Case"("state", "id");

