/**
 * The client card, one operation per section: opening a section asks only for its fields, so the
 * client_info subgraph reads only those columns (read masks, decision 0008).
 */
import { graphql } from "../../gql";

export const ClientHeaderQuery = graphql(`
  query ClientHeader($id: ID!) {
    client(id: $id) {
      id
      fullName
      birthDate
      age
    }
  }
`);

export const ClientContactsQuery = graphql(`
  query ClientContacts($id: ID!) {
    client(id: $id) {
      id
      phone
      email
      addresses {
        kind
        region
        city
        street
        house
        apartment
        postalCode
      }
    }
  }
`);

export const ClientDocumentsQuery = graphql(`
  query ClientDocuments($id: ID!) {
    client(id: $id) {
      id
      documents {
        id
        type
        number
        issueDate
        expiryDate
        issuer
      }
    }
  }
`);

export const ClientRelativesQuery = graphql(`
  query ClientRelatives($id: ID!) {
    client(id: $id) {
      id
      relatives {
        id
        relation
        fullName
        birthDate
        age
      }
    }
  }
`);

export const ClientVehiclesQuery = graphql(`
  query ClientVehicles($id: ID!) {
    client(id: $id) {
      id
      vehicles {
        id
        vin
        plate
        make
        model
        year
        enginePowerHp
      }
    }
  }
`);

export const ClientEmploymentQuery = graphql(`
  query ClientEmployment($id: ID!) {
    client(id: $id) {
      id
      profile {
        employment {
          employer
          position
          monthlyIncome {
            formatted
          }
          experienceYears
        }
      }
    }
  }
`);

export const ClientHealthQuery = graphql(`
  query ClientHealth($id: ID!) {
    client(id: $id) {
      id
      profile {
        health {
          heightCm
          weightKg
          smoker
          chronicDiseases
        }
      }
    }
  }
`);

export const ClientMarketingQuery = graphql(`
  query ClientMarketing($id: ID!) {
    client(id: $id) {
      id
      profile {
        marketing {
          consentSms
          consentEmail
          segment
          acquisitionChannel
        }
      }
    }
  }
`);

export const ClientApplicationsQuery = graphql(`
  query ClientApplications($id: ID!) {
    client(id: $id) {
      id
      applications(first: 20) {
        ...ApplicationRow
      }
    }
  }
`);

export const ClientPoliciesQuery = graphql(`
  query ClientPolicies($id: ID!) {
    client(id: $id) {
      id
      policies {
        id
        number
        status
        validFrom
        validTo
        premium {
          formatted
        }
        insurer {
          id
          name
        }
        product {
          id
          name
        }
      }
    }
  }
`);
