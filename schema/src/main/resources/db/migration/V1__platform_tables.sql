-- The platform's tables, as far as background jobs read or change them.
-- Column names and types are a contract with the rest of the platform (see DESIGN.md).

CREATE TABLE tenants (
    id            bigint PRIMARY KEY,
    name          text    NOT NULL,
    plan          text    NOT NULL,
    vehicle_limit integer NOT NULL
);

CREATE TABLE companies (
    id                  bigint PRIMARY KEY,
    tenant_id           bigint  NOT NULL REFERENCES tenants (id),
    name                text    NOT NULL,
    email               text    NOT NULL,
    status              text    NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'BANNED')),
    marketplace_enabled boolean NOT NULL DEFAULT false
);
CREATE INDEX companies_tenant ON companies (tenant_id);

CREATE TABLE vehicle_models (
    id                  bigint PRIMARY KEY,
    tenant_id           bigint  NOT NULL REFERENCES tenants (id),
    name                text    NOT NULL,
    marketplace_enabled boolean NOT NULL DEFAULT false
);
CREATE INDEX vehicle_models_tenant ON vehicle_models (tenant_id);

CREATE TABLE vehicles (
    id         bigint PRIMARY KEY,
    company_id bigint  NOT NULL REFERENCES companies (id),
    model_id   bigint  NOT NULL REFERENCES vehicle_models (id),
    published  boolean NOT NULL DEFAULT true
);
CREATE INDEX vehicles_company ON vehicles (company_id, id);

CREATE TABLE orders (
    id         bigint PRIMARY KEY,
    company_id bigint NOT NULL REFERENCES companies (id),
    vehicle_id bigint NOT NULL REFERENCES vehicles (id),
    status     text   NOT NULL DEFAULT 'ACTIVE'
        CHECK (status IN ('ACTIVE', 'DEACTIVATED', 'COMPLETED', 'CANCELLED'))
);
CREATE INDEX orders_company ON orders (company_id, id);

CREATE TABLE customers (
    id         bigint PRIMARY KEY,
    tenant_id  bigint NOT NULL REFERENCES tenants (id),
    email      text   NOT NULL,
    first_name text   NOT NULL,
    birth_date date,
    time_zone  text   NOT NULL DEFAULT 'UTC'
);
CREATE INDEX customers_tenant ON customers (tenant_id);
