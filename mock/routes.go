package mock

// publicRoutes maps each operationId of spec/public.yaml that c3dmock fakes to
// its handler. Operations absent here answer 501 (after auth and validation);
// operations marked x-c3d-dead answer 404 as the vendor does.
func publicRoutes(s *Server) map[string]apiFunc {
	st := s.store
	return map[string]apiFunc{
		// auth
		"login":             login(st),
		"getCurrentSession": getCurrentSession(st),
		"whoami":            whoami(st),
		// organizations
		"getOrganization":         getOrganization(st),
		"listOrganizationTags":    listOrganizationTags(st),
		"listAllOrganizationTags": listOrganizationTags(st),
		"createOrganizationTag":   createOrganizationTag(st),
		// projects and scenes
		"getProject":        getProject(st),
		"createProject":     createProject(st, s.now),
		"updateProject":     updateProject(st, s.now),
		"deleteProject":     deleteProject(st),
		"listProjectScenes": listProjectScenes(st),
		"getScene":          getScene(st),
		// dynamic objects
		"listVersionObjects":  listVersionObjects(st),
		"listProjectObjects":  listProjectObjects(st),
		"deleteVersionObject": deleteVersionObject(st),
		// objectives
		"listObjectives": listObjectives(st),
		"getObjective":   getObjective(st),
		// sessions (handle_sessions.go)
		"sessionPaginatedListQuery": sessionPaginatedListQuery(st),
		"sessionSingleQuery":        sessionSingleQuery(st),
		"sessionSingleProjectQuery": sessionSingleProjectQuery(st),
		"sessionMultiQuery":         sessionMultiQuery(st),
		"participantSessionsQuery":  participantSessionsQuery(st),
		"getSessionMetadata":        getSessionMetadata(st),
		"sessionMetadataLookup":     sessionMetadataLookup(st),
		// slicer (handle_analytics.go)
		"getSlicerOptions":                        getSlicerOptions(),
		"slicerPropertyNameQuery":                 slicerPropertyNameQuery(st),
		"propertyNameQuery":                       slicerPropertyNameQuery(st),
		"slicerFieldValuesQuery":                  slicerFieldValuesQuery(st),
		"slicerQuery":                             slicerQuery(st),
		"slicerObjectMetricQuery":                 slicerObjectMetricQuery(st),
		"slicerSingleObjectPerSessionMetricQuery": slicerSingleObjectPerSessionMetricQuery(st),
		// objective results (handle_objectives_results.go)
		"getSessionObjectiveData":  getSessionObjectiveData(st),
		"objectiveResultQuery":     objectiveResultQuery(st),
		"objectiveStepResultQuery": objectiveStepResultQuery(st),
		// ExitPoll (handle_exitpoll.go)
		"listQuestionSetsByProject":     listQuestionSetsByProject(st),
		"listProjectQuestionSets":       listProjectQuestionSets(st),
		"getQuestionSetVersions":        getQuestionSetVersions(st),
		"deleteQuestionSet":             deleteQuestionSet(st),
		"listQuestionSetResponses":      listQuestionSetResponses(st),
		"questionSetResponseDump":       questionSetResponseDump(st),
		"questionSetResponseCountQuery": questionSetResponseCountQuery(st),
		// administration (handle_admin_*.go; routes inferred, issue 7)
		"listOrganizationApiKeys":    listOrganizationAPIKeys(st),
		"createOrganizationApiKey":   createOrganizationAPIKey(st, s.now),
		"revokeOrganizationApiKey":   revokeOrganizationAPIKey(st),
		"listOrganizationMembers":    listMembers(st, "organization"),
		"addOrganizationMember":      addMember(st, "organization"),
		"updateOrganizationMember":   updateMember(st, "organization"),
		"removeOrganizationMember":   removeMember(st, "organization"),
		"listProjectMembers":         listMembers(st, "project"),
		"addProjectMember":           addMember(st, "project"),
		"updateProjectMember":        updateMember(st, "project"),
		"removeProjectMember":        removeMember(st, "project"),
		"listAuditLogs":              listAuditLogs(st),
		"listLmsConfigurations":      listLMSConfigurations(st),
		"createLmsConfiguration":     createLMSConfiguration(st, s.now),
		"getLmsConfiguration":        getLMSConfiguration(st),
		"updateLmsConfiguration":     updateLMSConfiguration(st, s.now),
		"deleteLmsConfiguration":     deleteLMSConfiguration(st),
		"getDomainSettings":          getDomainSettings(st),
		"updateDomainSettings":       updateDomainSettings(st),
		"getOrganizationSettings":    getOrganizationSettings(st),
		"updateOrganizationSettings": updateOrganizationSettings(st),
		"getProjectSettings":         getProjectSettings(st),
		"updateProjectSettings":      updateProjectSettings(st, s.now),
		"getCurrentUser":             getCurrentUser(st),
		"updateCurrentUser":          updateCurrentUser(st),
		"updateCurrentUserPassword":  updateCurrentUserPassword(st),
		// session tags, raw data and exports (handle_session_tags.go, handle_rawdata.go, handle_exports.go)
		"setSessionTag":                 setSessionTag(st),
		"projectSessionJsonRequest":     sessionJSONRequest(st, false),
		"versionSessionJsonRequest":     sessionJSONRequest(st, true),
		"projectSessionJsonZip":         sessionJSONZip(st, false),
		"versionSessionJsonZip":         sessionJSONZip(st, true),
		"getVersionSessionGaze":         getVersionSessionGaze(st),
		"getProjectSessionReport":       sessionReport(st, false),
		"getVersionSessionReport":       sessionReport(st, true),
		"createVersionSessionsReport":   createVersionSessionsReport(st),
		"createSessionReportEmail":      createSessionReportEmail(st, s.now),
		"getObjectiveVersionResultsCsv": getObjectiveVersionResultsCsv(st),
		// scene version files (handle_files.go)
		"getVersionSceneFile":          getVersionSceneFile(st),
		"getVersionOptimizedSceneFile": getVersionOptimizedSceneFile(st),
		"getVersionScreenshotSmall":    getVersionScreenshotSmall(st),
		"getVersionScreenshot":         getVersionScreenshot(st),
		// objective writes (handle_objectives_write.go)
		"createObjective":        createObjective(st, s.now),
		"createObjectiveVersion": createObjectiveVersion(st, s.now),
		"deleteObjective":        deleteObjective(st),
		"getVersionObjective":    getVersionObjective(st),
		// remote controls (handle_remote.go)
		"listRemoteVariables":       listRemoteVariables(st),
		"createRemoteVariable":      putRemoteVariable(st),
		"getRemoteVariable":         getRemoteVariable(st),
		"updateRemoteVariable":      putRemoteVariable(st),
		"deleteRemoteVariable":      deleteRemoteVariable(st),
		"listRemoteConfigurations":  listRemoteConfigurations(st),
		"createRemoteConfiguration": putRemoteConfiguration(st),
		"getRemoteConfiguration":    getRemoteConfiguration(st),
		"updateRemoteConfiguration": putRemoteConfiguration(st),
		"deleteRemoteConfiguration": deleteRemoteConfiguration(st),
		"listAbTests":               listAbTests(st),
		"createAbTest":              putAbTest(st),
		"getAbTest":                 getAbTest(st),
		"updateAbTest":              putAbTest(st),
		"deleteAbTest":              deleteAbTest(st),
		// widgets and dashboards (handle_dashboards.go)
		"listWidgets":     listWidgets(st),
		"createWidget":    putWidget(st),
		"getWidget":       getWidget(st),
		"updateWidget":    putWidget(st),
		"deleteWidget":    deleteWidget(st),
		"listDashboards":  listDashboards(st),
		"createDashboard": putDashboard(st),
		"getDashboard":    getDashboard(st),
		"updateDashboard": putDashboard(st),
		"deleteDashboard": deleteDashboard(st),
		// media library (handle_media.go)
		"listMedia":                 listMedia(st),
		"uploadMedia":               uploadMedia(st),
		"getMediaFile":              getMediaFile(st),
		"listMediaPointsOfInterest": listMediaPointsOfInterest(st),
		"deleteMedia":               deleteMedia(st),
		// app reviews (handle_reviews.go)
		"importReviews":    importReviews(st),
		"listReviews":      listReviews(st),
		"getSessionReview": getSessionReview(st),
	}
}

// ImplementedOperations reports the public operationIds that have a handler.
func ImplementedOperations() map[string]bool {
	out := map[string]bool{}
	for id := range publicRoutes(&Server{}) {
		out[id] = true
	}
	return out
}
